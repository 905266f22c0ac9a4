using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Issue 16, 3: handing monitoring over (regiewissel, <c>POST /api/plans/{planId}/handover</c>). Open escalations go to
/// the new monitor and keep their deadlines; the new monitor, the new backup and the network are told once, in
/// waiting-room messages; access follows at once; the status, the history and the case file show who monitored when.
/// Each test in an organisation of its own (so no other test's duty professional or accounts interfere), on the shared
/// server's manual clock and real SMTP sink.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_monitoring_is_handed_over(ServerFixture server)
{
    private sealed record HandoverAnswer(Guid PlanId, string MonitorId, string? BackupId, Values<Guid> Escalations);
    private sealed record Held(Guid Id, Guid PlanId, string MonitorId, string? BackupId, string? RaisedToMonitorId, DateTimeOffset RaisedAt,
        DateTimeOffset AcknowledgeBy, DateTimeOffset? PassedToBackupAt, DateTimeOffset? PassedToDutyAt, string? DutyId);
    private sealed record Period(string UserId, DateTimeOffset From, DateTimeOffset? To);
    private sealed record StatusMonitors(string MonitorId, string? BackupId, List<Period> Monitors);
    private sealed record CaseFileEscalation(Guid Id, string? RaisedTo);
    private sealed record CaseFileExcerpt(List<CaseFileEscalation> Escalations, List<TimelineEntry> Timeline);
    private sealed record Handed(string FromMonitorId, string ToMonitorId, string? ToBackupId, string Note, Values<Guid>? Escalations);

    /// <summary>An organisation of its own, with professional accounts (e-mail <c>{id}@jeugdzorg.test</c>) and clients in it.</summary>
    private sealed class Organisation(ServerFixture server, string id)
    {
        public string Id => id;

        public HttpClient As(string user, string roles = "professional", string? language = null)
        {
            var client = server.As(user, roles, language);
            client.DefaultRequestHeaders.Add("X-Organisation", id);
            return client;
        }

        public async Task<string> Professional(string userId, string? team = null)
        {
            (await As($"admin-{id}", "admin").PutAsync($"/api/users/{userId}", JsonContent.Create(new
            {
                name = $"Naam {userId}", email = $"{userId}@jeugdzorg.test", language = "nl", roles = new[] { "professional" }, team,
            }))).EnsureSuccessStatusCode();
            return $"{userId}@jeugdzorg.test";
        }
    }

    private Organisation NewOrganisation() => new(server, $"ho-{Guid.NewGuid():N}"[..14]);

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>An agreed plan whose bottom line (a high concern, acknowledged within 4 hours) was just crossed; the member has an e-mail address.</summary>
    private static async Task<(Guid Plan, Guid Member, string MemberEmail)> PlanWithOpenEscalation(HttpClient monitor, string monitorId, string? backupId,
        string evaluationDue, string? teamId = null)
    {
        var plan = await (await monitor.Post("/api/plans", new { title = "Veiligheidsplan Jansen", family = "Jansen", monitorId, backupId, teamId })).CreatedId();
        var memberEmail = $"oma-{Guid.NewGuid():N}@familie.test";
        var member = await (await monitor.Post($"/api/plans/{plan}/members", new { name = "Oma Jansen", role = "network", email = memberEmail })).CreatedId();
        await (await monitor.Post($"/api/plans/{plan}/agreements", new { text = "Oma haalt op", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H" })).CreatedId();
        await (await monitor.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ernstige zorg", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT4H" })).CreatedId();
        (await monitor.Post($"/api/plans/{plan}/agree", new { evaluationDue })).EnsureSuccessStatusCode();
        (await monitor.Post($"/api/plans/{plan}/concerns", new { clientId = "c1", memberId = member, text = "Zorg om Sem", severity = "high" })).EnsureSuccessStatusCode();
        return (plan, member, memberEmail);
    }

    private static async Task<List<HistoryEntry>> Handovers(HttpClient reader, Guid plan) =>
        (await reader.Get<List<HistoryEntry>>($"/api/plans/{plan}/history")).Where(e => e.Type == "monitoring-handed-over").ToList();

    /// <summary>
    /// How many events the plan's history holds but a delivery's outcome (sent, skipped, ...), which the dispatcher appends
    /// in its own time; a notification queued again would count. (The fixture's StreamVersion reads the default organisation only.)
    /// </summary>
    private static async Task<int> EventCount(HttpClient reader, Guid plan) =>
        (await reader.Get<List<HistoryEntry>>($"/api/plans/{plan}/history"))
        .Count(e => e.Type is not ("notification-sent" or "notification-failed" or "notification-skipped" or "notification-abandoned"));

    private static string Delivery(MimeKit.MimeMessage message) => message.Headers["X-SafetyPlan-Delivery"] ?? "";

    [Fact]
    public async Task an_open_escalation_goes_to_the_new_monitor_and_reaches_the_new_backup_on_time_and_the_old_monitor_hears_no_more_of_it()
    {
        var organisation = NewOrganisation();
        var u = Unique();
        var (oldMonitor, oldBackup, newMonitor, newBackup) = ($"anna-{u}", $"bart-{u}", $"carla-{u}", $"dirk-{u}");
        foreach (var user in new[] { oldMonitor, oldBackup, newMonitor, newBackup }) await organisation.Professional(user);
        var anna = organisation.As(oldMonitor);
        var (plan, _, memberEmail) = await PlanWithOpenEscalation(anna, oldMonitor, oldBackup, server.EvaluationDue());
        var raised = (await anna.Get<List<Held>>("/api/escalations?state=open")).Single(e => e.PlanId == plan);
        (raised.AcknowledgeBy - raised.RaisedAt).ShouldBe(TimeSpan.FromHours(4));

        await server.Advance("PT1H");
        var answer = await (await anna.Post($"/api/plans/{plan}/handover", new { toMonitorId = newMonitor, toBackupId = newBackup, note = "Sem is bang voor vader; bel school" }))
            .Read<HandoverAnswer>();
        answer.ShouldBe(new HandoverAnswer(plan, newMonitor, newBackup, new[] { raised.Id }), "the 200 names the open escalations the new monitor now holds");

        // The escalation went along, deadline unchanged; the old monitor no longer has it in their inbox.
        var carla = organisation.As(newMonitor);
        var held = (await carla.Get<List<Held>>("/api/escalations?state=open")).Single(e => e.PlanId == plan);
        held.ShouldBe(raised with { MonitorId = newMonitor, BackupId = newBackup, RaisedToMonitorId = oldMonitor });
        (await anna.Get<List<Held>>("/api/escalations")).ShouldNotContain(e => e.PlanId == plan);
        (await organisation.As(oldBackup).Get<List<Held>>("/api/escalations")).ShouldNotContain(e => e.PlanId == plan);

        // The ladder keeps its times: a minute before acknowledgeBy nothing, at acknowledgeBy the NEW backup.
        await server.Advance("PT2H59M");
        (await carla.Get<List<Held>>("/api/escalations?state=open")).Single(e => e.PlanId == plan).PassedToBackupAt.ShouldBeNull();
        await server.Advance("PT1M");
        var dirk = organisation.As(newBackup);
        var passed = (await dirk.Get<List<Held>>("/api/escalations?state=open")).Single(e => e.PlanId == plan);
        passed.PassedToBackupAt.ShouldBe(raised.AcknowledgeBy);
        var toNewBackup = await server.Smtp.WaitFor($"{newBackup}@jeugdzorg.test", 2, TimeSpan.FromSeconds(30));
        toNewBackup.Select(Delivery).ShouldContain(d => d.Contains("escalationpassedtobackup", StringComparison.Ordinal) && d.Contains(plan.ToString(), StringComparison.Ordinal));
        // And the duty step, later still, also leaves the old monitor and backup alone (this organisation names no duty professional).
        await server.Advance("PT4H");
        (await dirk.Get<List<Held>>("/api/escalations?state=open")).Single(e => e.PlanId == plan).PassedToDutyAt.ShouldBe(raised.AcknowledgeBy.AddHours(4));

        // The new backup acknowledges: it is their step, and the response time is still the old monitor's escalation's.
        (await dirk.Post($"/api/escalations/{raised.Id}/acknowledge", new { note = "Ik bel" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anna.Post($"/api/escalations/{raised.Id}/resolve", new { note = "klaar" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await server.DeliveriesSettled();
        // The old monitor: only the e-mail of the raising, nothing after; the old backup: nothing at all.
        server.Smtp.MessagesTo($"{oldMonitor}@jeugdzorg.test").Where(m => Delivery(m).Contains(plan.ToString(), StringComparison.Ordinal))
            .Select(Delivery).ShouldHaveSingleItem().ShouldContain("escalationraised");
        server.Smtp.MessagesTo($"{oldBackup}@jeugdzorg.test").ShouldNotContain(m => Delivery(m).Contains(plan.ToString(), StringComparison.Ordinal));
        // The new monitor, the new backup and the member are told of the handover once each, without any case data.
        var told = new[] { $"{newMonitor}@jeugdzorg.test", $"{newBackup}@jeugdzorg.test", memberEmail }
            .Select(address => server.Smtp.MessagesTo(address).Where(m => Delivery(m).Contains("monitoringhandedover", StringComparison.Ordinal)).ToList())
            .ToList();
        told.ShouldAllBe(messages => messages.Count == 1);
        foreach (var message in told.SelectMany(m => m))
        {
            var text = message.TextBody + message.HtmlBody + message.Subject;
            foreach (var secret in new[] { "Jansen", "Sem", "bang", "vader", "Oma", oldMonitor, newMonitor, "Ernstige zorg" })
                text.ShouldNotContain(secret, Case.Insensitive, $"a waiting-room message names no case data ({secret})");
        }
        told[2].Single().TextBody.ShouldContain("/member", customMessage: "a member is sent to their own page");
    }

    [Fact]
    public async Task a_repeat_appends_nothing_and_tells_no_one_again_also_when_the_old_monitor_retries()
    {
        var organisation = NewOrganisation();
        var u = Unique();
        var (oldMonitor, newMonitor) = ($"anna-{u}", $"carla-{u}");
        foreach (var user in new[] { oldMonitor, newMonitor }) await organisation.Professional(user);
        var anna = organisation.As(oldMonitor);
        var (plan, _, memberEmail) = await PlanWithOpenEscalation(anna, oldMonitor, null, server.EvaluationDue());
        var body = new { toMonitorId = newMonitor, note = "Overdracht" };

        var first = await (await anna.Post($"/api/plans/{plan}/handover", body)).Read<HandoverAnswer>();
        var carla = organisation.As(newMonitor);
        var version = await EventCount(carla, plan);
        var retry = await anna.Post($"/api/plans/{plan}/handover", body); // the old monitor's own retry, no longer on the plan
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await retry.Read<HandoverAnswer>()).ShouldBe(first);
        var again = await carla.Post($"/api/plans/{plan}/handover", body); // the new monitor sends the same
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Read<HandoverAnswer>()).ShouldBe(first);
        (await EventCount(carla, plan)).ShouldBe(version, "a repeat appends nothing");
        (await Handovers(carla, plan)).Count.ShouldBe(1);

        await server.DeliveriesSettled();
        server.Smtp.MessagesTo($"{newMonitor}@jeugdzorg.test").Count(m => Delivery(m).Contains("monitoringhandedover", StringComparison.Ordinal)).ShouldBe(1);
        server.Smtp.MessagesTo(memberEmail).Count(m => Delivery(m).Contains("monitoringhandedover", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task access_follows_at_once_and_the_old_monitor_keeps_it_only_by_team()
    {
        var organisation = NewOrganisation();
        var u = Unique();
        var (outsider, teamMember, newMonitor) = ($"anna-{u}", $"tom-{u}", $"carla-{u}");
        await organisation.Professional(outsider);
        await organisation.Professional(teamMember, team: "noord");
        await organisation.Professional(newMonitor);
        var due = server.EvaluationDue();

        // Monitor of a plan of team zuid, not in it: after the handover refused on reading and changing.
        var anna = organisation.As(outsider);
        var (plan, _, _) = await PlanWithOpenEscalation(anna, outsider, null, due, teamId: "zuid");
        (await anna.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anna.Post($"/api/plans/{plan}/handover", new { toMonitorId = newMonitor, note = "Ik stop" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anna.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await anna.GetAsync($"/api/plans/{plan}/history")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await anna.Post($"/api/plans/{plan}/goals", new { danger = "d", goal = "g" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await anna.Post($"/api/plans/{plan}/handover", new { toMonitorId = outsider, note = "Terug" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await organisation.As(newMonitor).GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Monitor of a plan of their own team noord: after the handover they still read and change it, as the team's.
        var tom = organisation.As(teamMember);
        var (teamPlan, _, _) = await PlanWithOpenEscalation(tom, teamMember, null, due, teamId: "noord");
        (await tom.Post($"/api/plans/{teamPlan}/handover", new { toMonitorId = newMonitor, note = "Collega neemt over" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tom.GetAsync($"/api/plans/{teamPlan}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tom.Post($"/api/plans/{teamPlan}/goals", new { danger = "d", goal = "g" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        // ... and, as a professional of the plan's team, may hand it over again (back to themselves).
        (await (await tom.Post($"/api/plans/{teamPlan}/handover", new { toMonitorId = teamMember, note = "Terug" })).Read<HandoverAnswer>()).MonitorId.ShouldBe(teamMember);
    }

    [Fact]
    public async Task others_are_refused_and_a_wrong_body_names_its_field()
    {
        var organisation = NewOrganisation();
        var u = Unique();
        var (monitor, backup, other, auditorOnly) = ($"anna-{u}", $"bart-{u}", $"olga-{u}", $"audrey-{u}");
        foreach (var user in new[] { monitor, backup, other }) await organisation.Professional(user);
        (await organisation.As($"admin-{organisation.Id}", "admin").PutAsync($"/api/users/{auditorOnly}", JsonContent.Create(new
        {
            name = "Auditor", email = $"{auditorOnly}@jeugdzorg.test", language = "nl", roles = new[] { "auditor" },
        }))).EnsureSuccessStatusCode();
        var anna = organisation.As(monitor);
        var (plan, member, _) = await PlanWithOpenEscalation(anna, monitor, backup, server.EvaluationDue());
        var valid = new { toMonitorId = other, note = "n" };

        (await organisation.As(other).Post($"/api/plans/{plan}/handover", valid)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a professional with no part in the plan");
        (await organisation.As(auditorOnly, "auditor").Post($"/api/plans/{plan}/handover", valid)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await organisation.As("admin-x", "admin").Post($"/api/plans/{plan}/handover", valid)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await organisation.As("oma", $"member:{member}").Post($"/api/plans/{plan}/handover", valid)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As(monitor, "professional").Post($"/api/plans/{plan}/handover", valid)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "another organisation's caller with the same user id");

        async Task Field(object body, string field)
        {
            var response = await anna.Post($"/api/plans/{plan}/handover", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Read<Problem>()).Errors!.Keys.ShouldContain(field);
        }
        await Field(new { note = "n" }, "toMonitorId");
        await Field(new { toMonitorId = other }, "note");
        await Field(new { toMonitorId = other, note = new string('x', 4001) }, "note");
        await Field(new { toMonitorId = other, toBackupId = other, note = "n" }, "toBackupId");
        await Field(new { toMonitorId = $"nobody-{u}", note = "n" }, "toMonitorId");
        await Field(new { toMonitorId = other, toBackupId = auditorOnly, note = "n" }, "toBackupId");
        await Field(new { toMonitorId = other, toBackupId = new string('b', 101), note = "n" }, "toBackupId");
        (await Handovers(anna, plan)).ShouldBeEmpty("a refused handover appends nothing");

        // The backup may hand over (here: to themselves as monitor, with the old monitor as backup), a draft plan too, a closed one not.
        (await (await organisation.As(backup).Post($"/api/plans/{plan}/handover", new { toMonitorId = backup, toBackupId = monitor, note = "Ruil" }))
            .Read<HandoverAnswer>()).ShouldBe(new HandoverAnswer(plan, backup, monitor, (await organisation.As(backup).Get<List<Held>>("/api/escalations?state=open")).Where(e => e.PlanId == plan).Select(e => e.Id).ToArray()));
        var draft = await (await anna.Post("/api/plans", new { title = "Concept", family = "F", monitorId = monitor })).CreatedId();
        (await anna.Post($"/api/plans/{draft}/handover", valid)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var closing = await (await anna.Post("/api/plans", new { title = "Klaar", family = "F", monitorId = monitor })).CreatedId();
        var closingMember = await (await anna.Post($"/api/plans/{closing}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await anna.Post($"/api/plans/{closing}/agreements", new { text = "Ophalen", responsibleMemberId = closingMember, schedule = new { daily = "15:00" }, grace = "PT1H" })).CreatedId();
        (await anna.Post($"/api/plans/{closing}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        (await anna.Post($"/api/plans/{closing}/evaluations", new { outcome = "close", notes = "Afgerond" })).EnsureSuccessStatusCode();
        (await anna.Post($"/api/plans/{closing}/handover", valid)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task a_left_out_backup_is_kept_and_a_handover_to_the_current_monitor_is_a_conflict()
    {
        var organisation = NewOrganisation();
        var u = Unique();
        var (monitor, backup, other) = ($"anna-{u}", $"bart-{u}", $"carla-{u}");
        foreach (var user in new[] { monitor, backup, other }) await organisation.Professional(user);
        var anna = organisation.As(monitor);
        var (plan, _, _) = await PlanWithOpenEscalation(anna, monitor, backup, server.EvaluationDue());

        // To the current monitor with no new backup: nothing would change; 409 in the caller's language, nothing appended.
        foreach (var (language, text) in new[] { ("en", "already monitors this plan"), ("nl", "heeft de regie over dit plan al") })
            foreach (object body in new object[] { new { toMonitorId = monitor, note = "n" }, new { toMonitorId = monitor, toBackupId = backup, note = "n" } })
            {
                var refused = await organisation.As(monitor, language: language).Post($"/api/plans/{plan}/handover", body);
                refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
                (await refused.Read<Problem>()).Detail!.ShouldContain(text);
            }
        (await Handovers(anna, plan)).ShouldBeEmpty("a refused handover appends nothing");

        // No backup named: the plan keeps bart, who is not told again; the escalation's ladder still reaches him.
        var answer = await (await anna.Post($"/api/plans/{plan}/handover", new { toMonitorId = other, note = "Overdracht" })).Read<HandoverAnswer>();
        (answer.MonitorId, answer.BackupId).ShouldBe((other, backup));
        var carla = organisation.As(other);
        var status = await carla.Get<StatusMonitors>($"/api/plans/{plan}");
        (status.MonitorId, status.BackupId).ShouldBe((other, backup));
        (await Handovers(carla, plan)).Single().DataAs<Handed>().ToBackupId.ShouldBe(backup);
        (await organisation.As(backup).Get<List<Held>>("/api/escalations?state=open")).Single(e => e.PlanId == plan).BackupId.ShouldBe(backup);
        // The same handover again is a repeat (200, nothing appended), not a handover to the current monitor.
        var version = await EventCount(carla, plan);
        (await (await carla.Post($"/api/plans/{plan}/handover", new { toMonitorId = other, note = "Overdracht" })).Read<HandoverAnswer>()).ShouldBe(answer);
        (await EventCount(carla, plan)).ShouldBe(version);

        // The monitor stays and names a new backup: a handover of the backup alone, recorded once.
        var backupOnly = await (await carla.Post($"/api/plans/{plan}/handover", new { toMonitorId = other, toBackupId = monitor, note = "Alleen een achtervang" })).Read<HandoverAnswer>();
        (backupOnly.MonitorId, backupOnly.BackupId).ShouldBe((other, monitor));
        var afterBackupOnly = await carla.Get<StatusMonitors>($"/api/plans/{plan}");
        afterBackupOnly.BackupId.ShouldBe(monitor);
        afterBackupOnly.Monitors.ShouldBe(status.Monitors, "a change of the backup alone ends no monitor period");
        (await Handovers(carla, plan)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task the_status_the_history_and_the_case_file_show_who_monitored_when()
    {
        var organisation = NewOrganisation();
        var u = Unique();
        var (first, second, third) = ($"anna-{u}", $"bart-{u}", $"carla-{u}");
        foreach (var user in new[] { first, second, third }) await organisation.Professional(user);
        var anna = organisation.As(first);
        var drafted = await server.Now();
        var (plan, _, _) = await PlanWithOpenEscalation(anna, first, null, server.EvaluationDue());
        var escalation = (await anna.Get<List<Held>>("/api/escalations?state=open")).Single(e => e.PlanId == plan).Id;

        var firstHandover = await server.Advance("PT1H");
        (await anna.Post($"/api/plans/{plan}/handover", new { toMonitorId = second, toBackupId = third, note = "Eerste overdracht" })).EnsureSuccessStatusCode();
        var bart = organisation.As(second);
        var secondHandover = await server.Advance("PT1H");
        // No backup named, and the backup (carla) becomes the monitor: the plan has no backup afterwards.
        (await (await bart.Post($"/api/plans/{plan}/handover", new { toMonitorId = third, note = "Tweede overdracht" })).Read<HandoverAnswer>())
            .BackupId.ShouldBeNull();

        var carla = organisation.As(third);
        var status = await carla.Get<StatusMonitors>($"/api/plans/{plan}");
        status.MonitorId.ShouldBe(third);
        status.BackupId.ShouldBeNull();
        status.Monitors.Select(m => m.UserId).ShouldBe([first, second, third]);
        status.Monitors[0].From.ShouldBeInRange(drafted, firstHandover);
        status.Monitors[0].To.ShouldBe(firstHandover);
        status.Monitors[1].ShouldBe(new Period(second, firstHandover, secondHandover));
        status.Monitors[2].ShouldBe(new Period(third, secondHandover, null));
        // As it stood before the second handover.
        (await carla.Get<StatusMonitors>($"/api/plans/{plan}?asOf={Uri.EscapeDataString(firstHandover.AddMinutes(30).ToString("O"))}"))
            .Monitors.Select(m => m.UserId).ShouldBe([first, second]);

        var history = await Handovers(carla, plan);
        history.Count.ShouldBe(2);
        history[0].DataAs<Handed>().ShouldBe(new Handed(first, second, third, "Eerste overdracht", new[] { escalation }));
        history[0].Description!.ShouldContain(first);
        history[0].Description!.ShouldContain(second);
        var dutch = (await organisation.As(third, language: "nl").Get<List<HistoryEntry>>($"/api/plans/{plan}/history")).Last(e => e.Type == "monitoring-handed-over");
        dutch.Description!.ShouldContain("Regie overgedragen");

        var file = await carla.Get<CaseFileExcerpt>($"/api/plans/{plan}/export");
        file.Escalations.Single(e => e.Id == escalation).RaisedTo.ShouldBe(first, "the response time stays with who was monitor when it was raised");
        file.Timeline.Count(t => t.Type == "monitoring-handed-over").ShouldBe(2);
        var english = organisation.As(third, language: "en");
        (await english.Get<CaseFileExcerpt>($"/api/plans/{plan}/export")).Timeline.Last(t => t.Type == "monitoring-handed-over")
            .Description.ShouldContain($"Monitoring handed over from {second} to {third}");
        var html = await (await organisation.As(third, language: "nl").GetAsync($"/api/plans/{plan}/export?format=html")).Content.ReadAsStringAsync();
        html.ShouldContain($"<h2>Regiehouders</h2><ul><li>{first}: ");
        html.ShouldContain($"<li>{third}: ");
    }
}
