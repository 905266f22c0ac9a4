using System.Net;
using MimeKit;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// E-mails and webhooks are waiting-room messages (NTA 7516; ../shared/domain.md, "Privacy of messages"): what kind of
/// thing happened and a link, never the family, the plan's title, a member's name, or an agreement, bottom line, goal or
/// note. Every notification subject goes through the real SMTP sink, in Dutch and in English.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_message_is_sent_about_a_case(ServerFixture server)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>Strings that occur nowhere else, so that finding one in a message can only mean it came from the case.</summary>
    private sealed record Case(string Title, string Family, string Member, string Agreement, string BottomLine, string Danger, string Goal, string Note)
    {
        public static Case New(string tag) => new($"Titel-Kwikstaart-{tag}", $"Familie-Zwaluwstaart-{tag}", $"Lid-Roodborst-{tag}",
            $"Afspraak-Merel-{tag}", $"Bodemeis-Specht-{tag}", $"Gevaar-Ekster-{tag}", $"Doel-Mus-{tag}", $"Notitie-Uil-{tag}");

        public string[] All => [Title, Family, Member, Agreement, BottomLine, Danger, Goal, Note];
    }

    private sealed record Staged(Guid PlanId, Case Case, string MonitorEmail, string BackupEmail, string MemberEmail);

    /// <summary>
    /// A plan whose bottom line is crossed by a high concern (acknowledge within an hour), and whose evaluation, two days
    /// ahead, is reminded of one day before; its monitor reads <paramref name="monitorLanguage"/>, its backup the other.
    /// </summary>
    private async Task<Staged> Stage(string monitorLanguage, DateOnly due)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var text = Case.New(tag);
        var (monitor, backup) = ($"monitor-{tag}", $"backup-{tag}");
        var monitorEmail = await server.Professional(monitor, monitorLanguage);
        var backupEmail = await server.Professional(backup, monitorLanguage == "nl" ? "en" : "nl");
        var memberEmail = $"lid-{tag}@example.org";
        var professional = server.As(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new
        {
            title = text.Title, family = text.Family, monitorId = monitor, backupId = backup, evaluationReminderDays = new[] { 1 },
        })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = text.Member, role = "parent", email = memberEmail })).CreatedId();
        var goal = await (await professional.Post($"/api/plans/{plan}/goals", new { danger = text.Danger, goal = text.Goal })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new
        {
            text = text.Agreement, responsibleMemberId = member, goalId = goal, schedule = new { daily = "20:00" },
        })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new
        {
            text = text.BottomLine, rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT1H",
        })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = due })).EnsureSuccessStatusCode();
        var concern = await server.As("lid", $"member:{member}").Post($"/api/plans/{plan}/concerns",
            new { clientId = $"c-{tag}", memberId = member, text = text.Note, severity = "high" });
        concern.StatusCode.ShouldBe(HttpStatusCode.Created);
        return new Staged(plan, text, monitorEmail, backupEmail, memberEmail);
    }

    /// <summary>Every header's decoded value and every body part's decoded text: what anyone who reads the message sees.</summary>
    private static string Everything(MimeMessage message) =>
        string.Join('\n', message.Headers.Select(h => $"{h.Field}: {h.Value}")
            .Concat(message.BodyParts.OfType<TextPart>().Select(p => p.Text))
            .Append(message.ToString()));

    [Fact]
    public async Task no_email_or_webhook_of_any_subject_names_the_family_the_plan_a_member_or_any_text_of_the_case()
    {
        var now = await server.AdvanceToNext(new TimeOnly(8, 0));
        var due = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Amsterdam).Date).AddDays(2);
        var dutch = await Stage("nl", due);   // monitor Dutch, backup English
        var english = await Stage("en", due); // monitor English, backup Dutch
        var plans = new[] { dutch, english };

        await server.Advance("PT2H");   // the hour to acknowledge passed: the escalation goes to the backup
        await server.Advance("P1D");    // 10:00 on the day before the evaluation: the reminder
        await server.Advance("P1DT14H"); // 00:00 on the day after: the evaluation is overdue

        foreach (var plan in plans)
        {
            var toMonitor = await server.Smtp.WaitFor(plan.MonitorEmail, 3); // raised, reminder, overdue
            var toBackup = await server.Smtp.WaitFor(plan.BackupEmail, 1);   // passed to the backup
            var toMember = await server.Smtp.WaitFor(plan.MemberEmail, 1);   // reminder
            (toMonitor.Count, toBackup.Count, toMember.Count).ShouldBe((3, 1, 1));

            var messages = toMonitor.Concat(toBackup).Concat(toMember).ToList();
            foreach (var message in messages)
            {
                var seen = Everything(message);
                foreach (var secret in plan.Case.All)
                    seen.ShouldNotContain(secret, Shouldly.Case.Insensitive, $"'{message.Subject}' to {message.To}");
                message.TextBody!.ShouldContain($"/plans/{plan.PlanId}"); // the link is all it points to
            }
        }

        // Both languages were written: each subject once in Dutch and once in English.
        var subjects = plans.SelectMany(p => server.Smtp.MessagesTo(p.MonitorEmail).Concat(server.Smtp.MessagesTo(p.BackupEmail)))
            .Select(m => m.Subject).Order().ToArray();
        subjects.ShouldBe(new[]
        {
            "Bodemeis overschreden in een veiligheidsplan", "Bottom line crossed in a safety plan",
            "Evaluatie van een veiligheidsplan is over tijd", "Evaluation of a safety plan is overdue",
            "Evaluatie van een veiligheidsplan komt eraan", "Evaluation of a safety plan is coming up",
            "Niet bevestigd: bodemeis overschreden in een veiligheidsplan", "Not acknowledged: bottom line crossed in a safety plan",
        }.Order().ToArray());

        // The organisation's webhook heard of each subject of each plan, with ids and the kind only.
        foreach (var plan in plans)
        {
            List<WebhookSink.Received> hooks = [];
            for (var until = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < until && hooks.Count < 4; await Task.Delay(100))
                hooks = server.Webhook.Requests.Where(r => r.Body.Contains(plan.PlanId.ToString())).ToList();
            hooks.Count.ShouldBe(4);
            foreach (var hook in hooks)
            {
                foreach (var secret in plan.Case.All) hook.Body.ShouldNotContain(secret, Shouldly.Case.Insensitive);
                System.Text.Json.JsonDocument.Parse(hook.Body).RootElement.EnumerateObject().Select(p => p.Name).Order()
                    .ShouldBe(["kind", "notification", "organisation", "planId"]);
            }
        }
    }
}
