using System.Net.Http.Json;
using System.Text.Json;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Issue 16 at retention (docs/security.md, "Privacy and retention"): the texts of the practice around the plan, who
/// referred, what a conference session agreed, the handover note and a case audit's answers, reflection and learning
/// points, are read through every answer that shows them (status, replay, history, case file, the audit itself) until the
/// closed plan's retention passes, and through none of them afterwards; the facts (dates, who was present, who monitored
/// when, scores, signatures, the audit's figures) stay. Masking in the stored rows is when_a_closed_plans_retention_passes'.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_the_practice_around_a_closed_plan_passes_its_retention(ServerFixture server)
{
    private const string Referrer = "Huisarts dr. Hanneke Visser";
    private const string SessionNotes = "Vader slaapt voorlopig bij opa Gerrit";
    private const string HandoverNote = "Carla belt elke vrijdag met juf Ellen";
    private const string AnswerNote = "Moeder Sandra kwam pas laat aan het woord";
    private const string Reflection = "We zagen de signalen van Sem te laat";
    private const string LearningPoints = "Eerder de school van Lotte bellen";
    private static readonly string[] Texts = [Referrer, SessionNotes, HandoverNote, AnswerNote, Reflection, LearningPoints];

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A case audit as its GET answers it; the facts as raw JSON, compared whole before and after.</summary>
    private sealed record AuditRead(
        Guid Id, string ProfessionalId, string AuditorId, JsonElement Facts, Dictionary<string, CaseAuditAnswer> Answers,
        string Reflection, string LearningPoints, Values<string> SignedBy, string State, int Revision);

    /// <summary>What stays: the audit but its texts, with its facts as text (a JsonElement compares by reference).</summary>
    private static object Kept(AuditRead audit) => (audit.Id, audit.ProfessionalId, audit.AuditorId, audit.Facts.GetRawText(), audit.State, audit.Revision,
        string.Join(",", audit.SignedBy.Order()), string.Join(",", audit.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value.Score}")));

    private sealed record HandoverData(string FromMonitorId, string ToMonitorId, string? ToBackupId, string Note);

    [Fact]
    public async Task the_referrer_the_session_notes_the_handover_note_and_the_audits_texts_are_read_nowhere_while_the_facts_remain()
    {
        var u = Guid.NewGuid().ToString("N")[..8];
        var (anna, bart, carla) = ($"anna-{u}", $"bart-{u}", $"carla-{u}");
        await server.Professional(carla); // a handover goes to a professional account of the organisation
        var auditor = server.As($"auditor-{u}", "auditor");
        var first = server.As(anna, "professional");
        var monitor = server.As(carla, "professional");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(await server.Now(), Amsterdam).DateTime);

        // Referred by a named doctor, a session with notes, agreed, handed over with a note, audited and signed, closed.
        var planId = await (await first.Post("/api/plans", new
        {
            title = "Veiligheidsplan Visser", family = "Visser", monitorId = anna, backupId = bart,
            referral = new { by = Referrer, receivedOn = Day(today.AddDays(-10)), conferenceWithin = "P6W" },
        })).CreatedId();
        var oma = await (await first.Post($"/api/plans/{planId}/members", new { name = "Oma Riet", role = "network" })).CreatedId();
        await (await first.Post($"/api/plans/{planId}/agreements", new { text = "Oma haalt op", responsibleMemberId = oma, schedule = new { daily = "15:00" }, grace = "PT2H" })).CreatedId();
        await (await first.Post($"/api/plans/{planId}/conference-sessions", new
        {
            heldOn = Day(today), membersPresent = new[] { oma }, professionalsPresent = new[] { anna, "veilig-thuis-1" }, notes = SessionNotes,
        })).CreatedId();
        (await first.Post($"/api/plans/{planId}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        (await first.Post($"/api/plans/{planId}/handover", new { toMonitorId = carla, note = HandoverNote })).EnsureSuccessStatusCode();
        var audit = await (await auditor.Post($"/api/plans/{planId}/case-audits", new { professionalId = carla })).CreatedId();
        var auditUrl = $"/api/plans/{planId}/case-audits/{audit}";
        (await auditor.PutAsJsonAsync(auditUrl, new
        {
            answers = new Dictionary<string, object> { ["family-heard"] = new { score = 2, note = AnswerNote }, ["network-involved"] = new { score = 4 } },
            reflection = Reflection, learningPoints = LearningPoints,
        }, ServerFixture.Json)).EnsureSuccessStatusCode();
        (await monitor.PostAsync($"{auditUrl}/sign", null)).EnsureSuccessStatusCode();
        (await auditor.PostAsync($"{auditUrl}/sign", null)).EnsureSuccessStatusCode();
        var agreedAt = (await monitor.Get<List<HistoryEntry>>($"/api/plans/{planId}/history?type=plan-agreed")).Single().Version;
        (await monitor.Post($"/api/plans/{planId}/evaluations", new { outcome = "close", notes = "Afgesloten." })).EnsureSuccessStatusCode();

        // Every answer that shows these texts, as the people who may read them read it.
        async Task<Dictionary<string, string>> Readable() => new()
        {
            ["status"] = await monitor.GetStringAsync($"/api/plans/{planId}"),
            ["replay"] = await monitor.GetStringAsync($"/api/plans/{planId}?version={agreedAt}"),
            ["history"] = await monitor.GetStringAsync($"/api/plans/{planId}/history"),
            ["history (nl)"] = await server.As(carla, "professional", "nl").GetStringAsync($"/api/plans/{planId}/history"),
            ["auditor's history"] = await auditor.GetStringAsync($"/api/plans/{planId}/history"),
            ["case file"] = await auditor.GetStringAsync($"/api/plans/{planId}/export"),
            ["printed case file"] = await auditor.GetStringAsync($"/api/plans/{planId}/export?format=html"),
            ["printed case file (monitor)"] = await monitor.GetStringAsync($"/api/plans/{planId}/export?format=html"),
            ["audit"] = await auditor.GetStringAsync(auditUrl),
        };
        var before = await Readable();
        var statusBefore = await monitor.Get<PlanStatus>($"/api/plans/{planId}");
        var monitorsBefore = (await (await monitor.GetAsync($"/api/plans/{planId}")).Json()).GetProperty("monitors").GetRawText();
        var auditBefore = await auditor.Get<AuditRead>(auditUrl);
        var handedBefore = (await monitor.Get<List<HistoryEntry>>($"/api/plans/{planId}/history?type=monitoring-handed-over")).Single().DataAs<HandoverData>();

        // Where each text was shown before: the referrer and the session's notes in the status, its replay and the case
        // file; the handover note in the history; the audit's texts in the audit, the auditors' history and case file.
        statusBefore.Referral.ShouldNotBeNull().By.ShouldBe(Referrer);
        statusBefore.ConferenceSessions.ShouldNotBeNull().ShouldHaveSingleItem().Notes.ShouldBe(SessionNotes);
        foreach (var reader in new[] { "status", "replay", "history", "printed case file (monitor)" })
            foreach (var text in new[] { Referrer, SessionNotes }) before[reader].ShouldContain(text, Case.Sensitive, reader);
        before["history"].ShouldContain(HandoverNote);
        before["history (nl)"].ShouldContain(HandoverNote);
        foreach (var reader in new[] { "audit", "auditor's history", "case file", "printed case file" })
            foreach (var text in new[] { AnswerNote, Reflection, LearningPoints }) before[reader].ShouldContain(text, Case.Sensitive, reader);
        (auditBefore.Reflection, auditBefore.State, handedBefore.Note).ShouldBe((Reflection, "signed", HandoverNote));

        // A day before the retention period (P7D in the test server) ends, all of it is still there; once it passed, none.
        await server.Advance("P6DT23H");
        (await monitor.GetStringAsync($"/api/plans/{planId}")).ShouldContain(Referrer);
        (await auditor.GetStringAsync(auditUrl)).ShouldContain(Reflection);
        await server.Advance("PT2H");
        (await monitor.Get<List<HistoryEntry>>($"/api/plans/{planId}/history?type=personal-data-masked")).ShouldHaveSingleItem();

        var after = await Readable();
        foreach (var (reader, answer) in after)
            foreach (var text in Texts) answer.ShouldNotContain(text, Case.Insensitive, $"{reader} still shows \"{text}\"");

        // The facts stay: the referral's dates, each session's day and who was there, who monitored when, the audit's
        // scores, signatures and figures; the texts read as masked.
        var statusAfter = await monitor.Get<PlanStatus>($"/api/plans/{planId}");
        statusAfter.Referral.ShouldBe(statusBefore.Referral! with { By = "***" });
        var session = statusBefore.ConferenceSessions!.Single();
        statusAfter.ConferenceSessions.ShouldNotBeNull().ShouldHaveSingleItem().ShouldBe(session with { Notes = "***" });
        (statusAfter.MonitorId, statusAfter.BackupId, statusAfter.State).ShouldBe((carla, statusBefore.BackupId, State.Closed));
        statusBefore.BackupId.ShouldNotBeNull("the handover named no backup, so the plan kept its own");
        (await (await monitor.GetAsync($"/api/plans/{planId}")).Json()).GetProperty("monitors").GetRawText().ShouldBe(monitorsBefore);
        (await monitor.Get<List<HistoryEntry>>($"/api/plans/{planId}/history?type=monitoring-handed-over")).Single().DataAs<HandoverData>()
            .ShouldBe(handedBefore with { Note = "***" });
        var auditAfter = await auditor.Get<AuditRead>(auditUrl);
        // The facts' figures stay; the agreements' titles in them are the agreements' own text, masked like it.
        auditBefore.Facts.GetRawText().ShouldContain("\"title\":\"Oma haalt op\"");
        var factsMasked = JsonDocument.Parse(auditBefore.Facts.GetRawText().Replace("\"title\":\"Oma haalt op\"", "\"title\":\"***\"")).RootElement;
        Kept(auditAfter).ShouldBe(Kept(auditBefore with { Facts = factsMasked }));
        (auditAfter.Reflection, auditAfter.LearningPoints, auditAfter.Answers["family-heard"].Note, auditAfter.Answers["network-involved"].Note)
            .ShouldBe(("***", "***", "***", null));
        static IEnumerable<string> Types(string history) => JsonSerializer.Deserialize<List<HistoryEntry>>(history, ServerFixture.Json)!
            .Where(e => !e.Type.StartsWith("notification-", StringComparison.Ordinal) && e.Type != "personal-data-masked").Select(e => $"{e.Version} {e.Type}");
        Types(after["auditor's history"]).ShouldBe(Types(before["auditor's history"]));
    }
}
