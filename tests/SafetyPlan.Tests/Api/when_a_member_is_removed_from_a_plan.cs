using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Nobody removed from a plan is notified about it any more: what was queued to them is skipped, nothing new is queued.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_is_removed_from_a_plan(ServerFixture server)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Fact]
    public async Task a_reminder_still_waiting_to_reach_them_is_skipped_and_the_next_reminder_is_not_queued_to_them()
    {
        var now = await server.AdvanceToNext(new TimeOnly(8, 0));
        var monitor = $"monitor-{Guid.NewGuid():N}";
        await server.Professional(monitor);
        var professional = server.As(monitor, "professional", "en");
        var kees = $"kees-{Guid.NewGuid():N}@example.org";
        var due = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Amsterdam).Date).AddDays(3);
        var planId = await (await professional.Post("/api/plans", new { title = "Plan", family = "F", monitorId = monitor, evaluationReminderDays = new[] { 2, 1 } })).CreatedId();
        var oma = await (await professional.Post($"/api/plans/{planId}/members", new { name = "Oma", role = "network" })).CreatedId();
        var buurman = await (await professional.Post($"/api/plans/{planId}/members", new { name = "Buurman Kees", role = "network", email = kees })).CreatedId();
        await (await professional.Post($"/api/plans/{planId}/agreements", new { text = "Bellen", responsibleMemberId = oma, schedule = new { daily = "20:00" } })).CreatedId();
        (await professional.Post($"/api/plans/{planId}/agree", new { evaluationDue = due })).EnsureSuccessStatusCode();
        var firstKey = $"evaluationreminder:{due:yyyy-MM-dd}/2:member/{buurman}:email";

        server.Smtp.Refuse(kees, "451 4.2.1 Mailbox busy, try again later");
        try
        {
            await server.Advance("P1DT2H"); // 10:00 two days before: the reminder to Kees fails for now and waits
            (await Events(professional, planId, "notification-failed")).Select(Key).ShouldBe([firstKey]);

            var removal = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{planId}/members/{buurman}") { Content = JsonContent.Create(new { reason = "Verhuisd" }) };
            (await professional.SendAsync(removal)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

            // Push deliveries (nobody here has a subscription) are skipped at once, and so is the e-mail to Oma, who has
            // no address (she is reminded in the inbox); Kees's e-mail by the removal.
            var skipped = (await Events(professional, planId, "notification-skipped")).Single(e => Key(e).EndsWith(":email") && Key(e).Contains($"member/{buurman}"));
            Key(skipped).ShouldBe(firstKey);
            skipped.DataAs<Skipped>().Reason.ShouldBe("The recipient was removed from the plan's network before it was delivered.");
            skipped.Version.ShouldBe((await Events(professional, planId, "member-removed")).Single().Version + 1);
        }
        finally
        {
            server.Smtp.Accept(kees);
        }

        await server.Advance("P1D"); // 10:00 the day before: the second reminder, to everyone still in the network

        (await Events(professional, planId, "evaluation-reminder-due")).Count.ShouldBe(2);
        var queuedToKees = (await Events(professional, planId, "notification-queued"))
            .Where(e => e.DataAs<Queued>().RecipientMemberId == buurman && Key(e).EndsWith(":email"));
        queuedToKees.Select(Key).ShouldBe([firstKey]);
        server.Smtp.MessagesTo(kees).ShouldBeEmpty();
        var status = await professional.Get<PlanStatus>($"/api/plans/{planId}");
        status.Notifications.Where(n => n.RecipientMemberId == buurman && n.Channel == "email").Select(n => n.Delivery).ShouldBe(["skipped"]);
    }

    private sealed record Skipped(string Reason);
    private sealed record Queued(Guid? RecipientMemberId);

    private static string Key(HistoryEntry e) => e.DataAs<DeliveryKey>().Key!;

    private static async Task<List<HistoryEntry>> Events(HttpClient reader, Guid planId, string type) =>
        (await reader.Get<List<HistoryEntry>>($"/api/plans/{planId}/history")).Where(e => e.Type == type).ToList();
}
