using System.Text.Json;
using SafetyPlan.Notifications;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// One monitor, two plans with the same evaluation date: each plan's reminder and overdue notice is a delivery of its
/// own, in the inbox, in the e-mail's Message-Id and X-SafetyPlan-Delivery header, and in the webhook's.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_two_plans_tell_one_person_the_same_thing(ServerFixture server)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Fact]
    public async Task each_plan_has_its_own_inbox_item_message_id_and_delivery_header_for_the_reminder_and_the_overdue_notice()
    {
        var now = await server.AdvanceToNext(new TimeOnly(8, 0));
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var email = await server.Professional(monitor);
        var professional = server.As(monitor, "professional");
        var due = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Amsterdam).Date).AddDays(2);
        var plans = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var id = await (await professional.Post("/api/plans", new { title = $"Plan {i}", family = "F", monitorId = monitor, evaluationReminderDays = new[] { 1 } })).CreatedId();
            var member = await (await professional.Post($"/api/plans/{id}/members", new { name = "Oma", role = "network" })).CreatedId();
            await (await professional.Post($"/api/plans/{id}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "20:00" } })).CreatedId();
            (await professional.Post($"/api/plans/{id}/agree", new { evaluationDue = due })).EnsureSuccessStatusCode();
            plans.Add(id);
        }
        string[] Ids(string key) => plans.Select(p => $"default/{p}/{key}").Order().ToArray();
        var reminders = Ids($"evaluationreminder:{due:yyyy-MM-dd}/1:user/{monitor}:email");
        var overdue = Ids($"evaluationoverdue:{due:yyyy-MM-dd}:user/{monitor}:email");

        await server.Advance("P1DT2H"); // 10:00 on the day before the evaluation

        var messages = await server.Smtp.WaitFor(email, 2);
        messages.Select(m => m.Headers[EmailSender.DeliveryHeader]).Order().ShouldBe(reminders);
        messages.Select(m => m.MessageId).Order().ShouldBe(reminders.Select(EmailSender.MessageId).Order());
        messages.Select(m => m.MessageId).Distinct().Count().ShouldBe(2);
        (await Inbox(monitor)).Select(i => i.GetProperty("id").GetString()).Order().ShouldBe(reminders);
        (await Webhooks(plans, "evaluation-reminder")).ShouldBe(Ids($"evaluationreminder:{due:yyyy-MM-dd}/1:organisation:webhook"));

        await server.Advance("P1DT14H"); // 00:00 on the day after: the evaluation is overdue

        messages = await server.Smtp.WaitFor(email, 4);
        messages.Select(m => m.Headers[EmailSender.DeliveryHeader]).Order().ShouldBe(reminders.Concat(overdue).Order());
        messages.Select(m => m.MessageId).Distinct().Count().ShouldBe(4);
        foreach (var plan in plans) await server.DeliveriesSettled(plan);
        var inbox = await Inbox(monitor);
        inbox.Select(i => i.GetProperty("id").GetString()).Order().ShouldBe(reminders.Concat(overdue).Order());
        inbox.ShouldAllBe(i => i.GetProperty("delivery").GetString() == "sent");
        inbox.Select(i => i.GetProperty("planId").GetGuid()).Order().ShouldBe(plans.Concat(plans).Order());
        (await Webhooks(plans, "evaluation-overdue")).ShouldBe(Ids($"evaluationoverdue:{due:yyyy-MM-dd}:organisation:webhook"));
    }

    private async Task<List<JsonElement>> Inbox(string userId) =>
        (await (await server.As(userId, "professional").GetAsync("/api/notifications")).Json()).EnumerateArray().ToList();

    /// <summary>The X-SafetyPlan-Delivery headers of the webhook requests about these plans and this subject, in order.</summary>
    private async Task<string[]> Webhooks(IReadOnlyList<Guid> plans, string subject)
    {
        string[] found = [];
        for (var until = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < until; await Task.Delay(100))
        {
            found = server.Webhook.Requests
                .Where(r => plans.Any(p => r.Body.Contains(p.ToString())) && JsonDocument.Parse(r.Body).RootElement.GetProperty("kind").GetString() == subject)
                .Select(r => r.Delivery!).Order().ToArray();
            if (found.Length >= plans.Count) break;
        }
        return found;
    }
}
