using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// A mail server or webhook that refuses for good ends the delivery as failed at once; one that refuses for now is
/// retried with backoff until 24 hours after the notification was queued, then it ends as failed. Either way no
/// further attempt is made, and the professional sees it on the status, the plan's page and in the inbox.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_receiver_refuses_a_notification(ServerFixture server)
{
    private async Task<(PlanBuilder Plan, string Email)> PlanWhoseConcernsEscalate()
    {
        var plan = new PlanBuilder(server);
        var email = await server.Professional(plan.MonitorId);
        await plan.Drafted();
        await plan.WithBottomLine(new { kind = "concern", minSeverity = "medium" });
        await plan.Agreed();
        return (plan, email);
    }

    private static async Task RaiseConcern(PlanBuilder plan) =>
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = Guid.NewGuid().ToString(), memberId = plan.MemberId, text = "Politie aan de deur", severity = "high" }))
        .StatusCode.ShouldBe(HttpStatusCode.Created);

    private async Task<string> History(PlanBuilder plan) =>
        await server.As(plan.MonitorId, "professional", "en").GetStringAsync($"/api/plans/{plan.PlanId}/history");

    /// <summary>The history's delivery events of this type for the escalation's delivery on this channel.</summary>
    private async Task<List<HistoryEntry>> Events(PlanBuilder plan, string type, string channel) =>
        (await plan.History(server.As(plan.MonitorId, "professional", "en")))
            .Where(e => e.Type == type
                        && e.DataAs<DeliveryKey>().Key is { } key && key.StartsWith("escalationraised:") && key.EndsWith($":{channel}"))
            .ToList();

    private static NotificationStatus Notification(PlanStatus status, string channel) =>
        status.Notifications.Single(n => n.Subject == "escalation-raised" && n.Channel == channel);

    private async Task<string> Page(PlanBuilder plan) => await plan.Professional.GetStringAsync($"/plans/{plan.PlanId}");

    [Fact]
    public async Task a_recipient_refused_with_550_ends_as_failed_after_one_attempt_and_is_never_tried_again()
    {
        var (plan, email) = await PlanWhoseConcernsEscalate();
        server.Smtp.Refuse(email, $"550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table");
        try
        {
            var at = await server.Now();
            await RaiseConcern(plan);
            await server.Advance("PT0S");

            var abandoned = (await Events(plan, "notification-abandoned", "email")).Single();
            abandoned.DataAs<DeliveryEnded>().ShouldBe(new DeliveryEnded("refused", "smtp-550", Attempts: 1, at));
            abandoned.Description
                .ShouldBe("Notification failed: the receiver refused it for good (smtp-550, attempt 1); it is not tried again.");
            (await Events(plan, "notification-failed", "email")).ShouldBeEmpty();
            (await History(plan)).ShouldNotContain(email); // the server's reply quoted the address; it is not kept

            var notification = Notification(await plan.Status(), "email");
            (notification.Delivery, notification.Failure, notification.FailedAttempts).ShouldBe(("failed", "smtp-550", 1));
            var inbox = (await plan.Professional.Get<List<InboxItem>>("/api/notifications"))
                .Single(i => i.PlanId == plan.PlanId && i.Subject == "escalation-raised");
            (inbox.Delivery, inbox.Failure).ShouldBe(("failed", "smtp-550"));
            var page = await Page(plan);
            page.ShouldContain("Berichten die niet aankwamen");
            page.ShouldContain($"Escalatie aan {plan.MonitorId} per e-mail: mislukt (smtp-550, 1 poging(en)); wordt niet opnieuw geprobeerd.");

            await server.Advance("PT2H");
            (await Events(plan, "notification-abandoned", "email")).Count.ShouldBe(1);
            (await Events(plan, "notification-failed", "email")).ShouldBeEmpty();
            server.Smtp.MessagesTo(email).ShouldBeEmpty();
        }
        finally
        {
            server.Smtp.Accept(email);
        }
    }

    [Fact]
    public async Task a_recipient_refused_with_451_is_retried_after_1_and_2_minutes_and_ends_as_failed_24_hours_after_it_was_queued()
    {
        var (plan, email) = await PlanWhoseConcernsEscalate();
        server.Smtp.Refuse(email, "451 4.3.0 Temporary lookup failure");
        try
        {
            var queuedAt = await server.Now();
            await RaiseConcern(plan);
            await server.Advance("PT0S");
            await server.Advance("PT1M");

            var failed = await Events(plan, "notification-failed", "email");
            failed.Select(f => f.DataAs<DeliveryFailed>()).ShouldBe([new(Attempt: 1, queuedAt.AddMinutes(1)), new(Attempt: 2, queuedAt.AddMinutes(3))]);
            var retrying = Notification(await plan.Status(), "email");
            (retrying.Delivery, retrying.FailedAttempts).ShouldBe(("queued", 2));
            (await Page(plan)).ShouldContain($"Escalatie aan {plan.MonitorId} per e-mail: nog niet afgeleverd na 2 poging(en); volgende poging");

            await server.Advance("P1D"); // the next attempt is the first at or after 24 hours: the last

            (await Events(plan, "notification-abandoned", "email")).Single().DataAs<DeliveryEnded>()
                .ShouldBe(new DeliveryEnded("retries-exhausted", "smtp-451", Attempts: 3, queuedAt.AddDays(1).AddMinutes(1)));
            var notification = Notification(await plan.Status(), "email");
            (notification.Delivery, notification.Failure, notification.FailedAttempts).ShouldBe(("failed", "smtp-451", 3));
            (await Page(plan)).ShouldContain($"Escalatie aan {plan.MonitorId} per e-mail: mislukt (smtp-451, 3 poging(en)); wordt niet opnieuw geprobeerd.");

            server.Smtp.Accept(email); // the server is back, but the delivery has ended
            await server.Advance("PT2H");
            (await Events(plan, "notification-failed", "email")).Count.ShouldBe(2);
            (await Events(plan, "notification-abandoned", "email")).Count.ShouldBe(1);
            server.Smtp.MessagesTo(email).ShouldBeEmpty();
        }
        finally
        {
            server.Smtp.Accept(email);
        }
    }

    [Fact]
    public async Task a_webhook_answering_410_ends_as_failed_at_once_and_is_never_called_again()
    {
        var (plan, _) = await PlanWhoseConcernsEscalate();
        server.Webhook.Answer(plan.PlanId, 410);

        await RaiseConcern(plan);
        await server.Advance("PT0S");

        var abandoned = (await Events(plan, "notification-abandoned", "webhook")).Single().DataAs<DeliveryEnded>();
        (abandoned.Reason, abandoned.Failure, abandoned.Attempts).ShouldBe(("refused", "http-410", 1));
        Notification(await plan.Status(), "webhook").Delivery.ShouldBe("failed");
        await server.Advance("PT2H");
        server.Webhook.Requests.Count(r => r.Body.Contains(plan.PlanId.ToString())).ShouldBe(1);
    }
}
