using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Replay shows not only the plan as it stood, but also what everyone had been told by then.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_auditor_replays_a_plan(ServerFixture server)
{
    private static NotificationStatus? EmailTo(PlanStatus status, string userId) =>
        status.Notifications.SingleOrDefault(n => n.Channel == "email" && n.RecipientUserId == userId);

    [Fact]
    public async Task a_version_shows_the_escalation_e_mail_as_queued_and_the_present_shows_it_sent()
    {
        var plan = new PlanBuilder(server);
        var monitorEmail = await server.Professional(plan.MonitorId);
        await plan.Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        var auditor = server.As("auditor-1", "auditor");

        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        (await server.Smtp.WaitFor(monitorEmail, 1)).Count.ShouldBe(1);
        await server.DeliveriesSettled(plan.PlanId);
        var history = await plan.History(auditor);
        var versionOf = (string type) => history.Where(e => e.Type == type).Max(e => e.Version);
        var queued = versionOf("notification-queued");
        var sent = versionOf("notification-sent");
        sent.ShouldBeGreaterThan(queued);

        var beforeTheBreach = await auditor.Get<PlanStatus>($"/api/plans/{plan.PlanId}?version={history.First(e => e.Type == "check-in-logged").Version - 1}");
        beforeTheBreach.Notifications.ShouldBeEmpty();

        var whenQueued = EmailTo(await auditor.Get<PlanStatus>($"/api/plans/{plan.PlanId}?version={queued}"), plan.MonitorId).ShouldNotBeNull();
        (whenQueued.Subject, whenQueued.Delivery, whenQueued.SentAt).ShouldBe(("escalation-raised", "queued", null));

        var now = EmailTo(await auditor.Get<PlanStatus>($"/api/plans/{plan.PlanId}"), plan.MonitorId).ShouldNotBeNull();
        now.SentAt.ShouldNotBeNull();
        now.ShouldBe(whenQueued with { Delivery = "sent", SentAt = now.SentAt }); // the same e-mail, sent since
    }

    [Fact]
    public async Task a_network_member_does_not_see_what_was_sent_to_whom()
    {
        var plan = new PlanBuilder(server);
        await server.Professional(plan.MonitorId);
        await plan.Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();

        (await plan.Status()).Notifications.ShouldNotBeEmpty();
        (await plan.Member.Get<PlanStatus>($"/api/plans/{plan.PlanId}")).Notifications.ShouldBeEmpty();
    }
}
