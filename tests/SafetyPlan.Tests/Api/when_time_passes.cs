using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>The scheduler on the manual clock: missed check-ins, escalations passed to the backup, reminders, e-mail over real SMTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_time_passes(ServerFixture server)
{
    private async Task<PlanBuilder> PlanWith(object rule, string acknowledgeWithin = "PT4H")
    {
        var plan = new PlanBuilder(server);
        await server.Professional(plan.MonitorId);
        await server.Professional(plan.BackupId, language: "en");
        await plan.Drafted();
        await plan.WithBottomLine(rule, acknowledgeWithin);
        return plan;
    }

    private static async Task<int> Events(PlanBuilder plan, string type) => (await plan.History()).Count(e => e.Type == type);

    private static async Task<int> EmailEvents(PlanBuilder plan, string type) =>
        (await plan.History()).Count(e => e.Type == type && e.DataAs<DeliveryKey>().Key!.EndsWith(":email"));

    /// <summary>One of <c>GET /api/plans/{planId}/deadlines</c>.</summary>
    private sealed record Deadline(string Kind, Guid? Ref, int? DaysBefore, DateTimeOffset DueAt);

    [Fact]
    public async Task three_unreported_days_give_three_missed_check_ins_one_escalation_and_one_email_then_the_backup_once()
    {
        await server.AdvanceToNext(new TimeOnly(8, 0));
        var plan = await PlanWith(new { kind = "missed-in-a-row", count = 3 });
        await plan.Agreed();
        var monitorEmail = $"{plan.MonitorId}@jeugdzorg.test";
        var backupEmail = $"{plan.BackupId}@jeugdzorg.test";

        await server.Advance("P3D"); // 15:00 + PT4H grace passes on three days

        (await Events(plan, "check-in-missed")).ShouldBe(3);
        (await Events(plan, "escalation-raised")).ShouldBe(1);
        var status = await plan.Status();
        (status.Agreements[0].Missed, status.Status).ShouldBe((3, Colour.Red));
        var toMonitor = server.Smtp.MessagesTo(monitorEmail);
        toMonitor.Count.ShouldBe(1);
        toMonitor[0].Subject!.ShouldContain("Bodemeis overschreden"); // the monitor reads Dutch
        toMonitor[0].TextBody!.ShouldContain(plan.PlanId.ToString());
        toMonitor[0].HtmlBody!.ShouldContain("<a href=");

        await server.Advance("PT1H"); // a re-run of the sweep adds nothing
        (await Events(plan, "escalation-raised")).ShouldBe(1);
        server.Smtp.MessagesTo(monitorEmail).Count.ShouldBe(1);

        await server.Advance("PT4H"); // nobody acknowledged: the backup is told, once
        (await Events(plan, "escalation-passed-to-backup")).ShouldBe(1);
        var toBackup = server.Smtp.MessagesTo(backupEmail);
        toBackup.Count.ShouldBe(1);
        toBackup[0].Subject.ShouldStartWith("Not acknowledged"); // the backup reads English
        await server.Advance("PT2H");
        server.Smtp.MessagesTo(backupEmail).Count.ShouldBe(1);

        var inbox = await server.As(plan.BackupId, "professional").Get<List<InboxItem>>("/api/notifications");
        inbox.ShouldContain(i => i.Subject == "escalation-passed-to-backup" && i.Delivery == "sent");
    }

    [Fact]
    public async Task seven_days_before_the_evaluation_one_reminder_goes_to_the_monitor_and_to_every_member_also_without_e_mail()
    {
        var now = await server.AdvanceToNext(new TimeOnly(8, 0));
        var plan = await PlanWith(new { kind = "concern", minSeverity = "high" });
        var buurman = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman", role = "network" })).CreatedId();
        var due = DateOnly.FromDateTime(now.Date).AddDays(10);
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = due })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await server.Advance("P2D"); // 8 days before: nothing yet
        server.Smtp.MessagesTo($"{plan.MonitorId}@jeugdzorg.test").ShouldBeEmpty();

        await server.Advance("P1DT2H"); // 7 days before, 10:00
        (await Events(plan, "evaluation-reminder-due")).ShouldBe(1);
        server.Smtp.MessagesTo($"{plan.MonitorId}@jeugdzorg.test").Count.ShouldBe(1);
        server.Smtp.MessagesTo("riet@example.org").Count(m => m.Subject!.Contains(plan.PlanId.ToString()) || m.TextBody!.Contains(plan.PlanId.ToString())).ShouldBe(1);
        // The neighbour has no e-mail address: reminded in the inbox and by push; the e-mail delivery is skipped.
        var toBuurman = (await plan.History()).Where(e => e.Type == "notification-queued" && e.DataAs<DeliveryKey>().Key!.Contains($"member/{buurman}"))
            .Select(e => e.DataAs<DeliveryKey>().Key).ToList();
        toBuurman.ShouldBe([$"evaluationreminder:{due:yyyy-MM-dd}/7:member/{buurman}:email", $"evaluationreminder:{due:yyyy-MM-dd}/7:member/{buurman}:push"]);

        await server.Advance("PT6H");
        (await Events(plan, "evaluation-reminder-due")).ShouldBe(1);
        server.Smtp.MessagesTo($"{plan.MonitorId}@jeugdzorg.test").Count.ShouldBe(1);
    }

    [Fact]
    public async Task with_the_mail_server_down_the_email_arrives_once_it_is_back()
    {
        var plan = await PlanWith(new { kind = "concern", minSeverity = "medium" });
        await plan.Agreed();
        var monitorEmail = $"{plan.MonitorId}@jeugdzorg.test";

        await server.Smtp.Stop();
        try
        {
            var concern = await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = "k1", memberId = plan.MemberId, text = "Politie aan de deur", severity = "high" });
            concern.StatusCode.ShouldBe(HttpStatusCode.Created);
            await server.Advance("PT0S");
            (await EmailEvents(plan, "notification-failed")).ShouldBeGreaterThanOrEqualTo(1);
            (await EmailEvents(plan, "notification-sent")).ShouldBe(0);
        }
        finally
        {
            await server.Smtp.Start();
        }

        await server.Advance("PT2M"); // past the first backoff
        server.Smtp.MessagesTo(monitorEmail).Count.ShouldBe(1);
        (await EmailEvents(plan, "notification-sent")).ShouldBe(1);
        await server.Advance("PT1H");
        server.Smtp.MessagesTo(monitorEmail).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_report_that_raises_an_escalation_is_e_mailed_without_waiting_for_the_sweep()
    {
        var plan = await PlanWith(new { kind = "concern", minSeverity = "high" });
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();

        (await plan.CheckIn("not-kept")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var messages = await server.Smtp.WaitFor($"{plan.MonitorId}@jeugdzorg.test", 1);
        messages.Count.ShouldBe(1);
        messages[0].TextBody!.ShouldNotContain("Bij het niet nakomen grijpen we in."); // a waiting-room message (when_a_message_is_sent_about_a_case)

        // The organisation's case-management system hears of it too, once, signed with the shared secret.
        var until = DateTime.UtcNow.AddSeconds(15);
        List<WebhookSink.Received> hooks;
        do
        {
            hooks = server.Webhook.Requests.Where(r => r.Body.Contains(plan.PlanId.ToString())).ToList();
            if (hooks.Count > 0) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < until);
        hooks.Count.ShouldBe(1);
        var body = System.Text.Encoding.UTF8.GetBytes(hooks[0].Body);
        var now = await server.Now();
        SafetyPlan.Notifications.WebhookSender.Verify(WebhookSink.Secret, hooks[0].Timestamp, body, hooks[0].Signature, now).ShouldBeTrue();
        SafetyPlan.Notifications.WebhookSender.Verify("another secret", hooks[0].Timestamp, body, hooks[0].Signature, now).ShouldBeFalse();
        var payload = System.Text.Json.JsonDocument.Parse(hooks[0].Body).RootElement;
        payload.GetProperty("kind").GetString().ShouldBe("escalation-raised");
        hooks[0].Body.ShouldNotContain("Bij het niet nakomen grijpen we in.");
    }

    [Fact]
    public async Task the_upcoming_deadlines_follow_the_plans_own_reminder_days()
    {
        var plan = new PlanBuilder(server);
        var professional = plan.Professional;
        var id = await (await professional.Post("/api/plans", new { title = "T", family = "F", monitorId = plan.MonitorId, evaluationReminderDays = new[] { 3 } })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{id}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await professional.Post($"/api/plans/{id}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "20:00" } })).CreatedId();
        (await professional.Post($"/api/plans/{id}/agree", new { evaluationDue = "2028-01-10" })).EnsureSuccessStatusCode();

        var deadlines = await professional.Get<List<Deadline>>($"/api/plans/{id}/deadlines");

        deadlines.Single(d => d.Kind == "check-in-due").Ref.ShouldBe(agreement);
        deadlines.Where(d => d.Kind == "evaluation-reminder").Select(d => d.DaysBefore).ShouldBe([3]);
        deadlines.Single(d => d.Kind == "evaluation-overdue").DueAt.ShouldBe(new DateTimeOffset(2028, 1, 11, 0, 0, 0, TimeSpan.FromHours(1)));

        (await professional.Post("/api/plans", new { title = "T", family = "F", monitorId = "m", evaluationReminderDays = new[] { 99 } })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_plan_that_cannot_be_swept_does_not_hold_up_the_others_and_is_swept_once_it_can_be()
    {
        await server.AdvanceToNext(new TimeOnly(8, 0));
        var broken = await new PlanBuilder(server).Drafted();
        await broken.Agreed();
        var healthy = await new PlanBuilder(server).Drafted();
        await healthy.Agreed();
        await SetTimeZone(broken.PlanId, "Nowhere/Atlantis"); // the stored document can no longer be swept

        await server.Advance("P1D");

        (await Events(healthy, "check-in-missed")).ShouldBe(1);
        (await Events(broken, "check-in-missed")).ShouldBe(0);

        await SetTimeZone(broken.PlanId, "Europe/Amsterdam");
        await server.Advance("PT1M");
        (await Events(broken, "check-in-missed")).ShouldBe(1);
    }

    private async Task SetTimeZone(Guid planId, string zone)
    {
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("update safetyplan.mt_doc_plan set data = jsonb_set(data, '{timeZone}', to_jsonb(@zone::text)) where id = @id", connection);
        command.Parameters.AddWithValue("zone", zone);
        command.Parameters.AddWithValue("id", planId);
        (await command.ExecuteNonQueryAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task the_job_dashboard_is_for_admins_only()
    {
        (await server.As("admin-1", "admin").GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.As("anna", "professional").GetAsync("/hangfire")).StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
        (await server.As(null).GetAsync("/hangfire")).StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
    }
}
