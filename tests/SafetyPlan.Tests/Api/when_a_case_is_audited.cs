using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static SafetyPlan.Tests.Infrastructure.PageForms;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Issue 16, 4: the collaborative case audit through the API. Its facts are the history's at the moment it was opened;
/// its two participants write and sign it, and once both signed it refuses changes; only they and the organisation's
/// auditors read it, and its text stays out of what the plan's other readers see (history, case file).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_case_is_audited(ServerFixture server)
{
    private readonly HttpClient auditor = server.As($"auditor-{Guid.NewGuid():N}"[..20], "auditor");

    private static object Text(string reflection = "We belden de school te laat.") => new
    {
        answers = new Dictionary<string, object>
        {
            ["family-heard"] = new { score = 4, note = "Moeder kwam goed aan het woord." },
            ["bottom-lines-specific"] = new { score = 2 },
        },
        reflection,
        learningPoints = "Eerder het netwerk bellen.",
    };

    /// <summary>An agreed plan whose pick-up was not kept once: one escalation to the monitor.</summary>
    private async Task<PlanBuilder> PlanWithAnEscalation()
    {
        var plan = new PlanBuilder(server);
        await plan.Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        return plan;
    }

    private async Task<Guid> Open(PlanBuilder plan, HttpClient? by = null, string? professional = null) =>
        await (await (by ?? auditor).Post($"/api/plans/{plan.PlanId}/case-audits", new { professionalId = professional ?? plan.MonitorId })).CreatedId();

    private static async Task<int> AuditEvents(PlanBuilder plan) => (await plan.History()).Count(e => e.Type.StartsWith("case-audit-", StringComparison.Ordinal));

    private static string Url(PlanBuilder plan, Guid audit) => $"/api/plans/{plan.PlanId}/case-audits/{audit}";

    private sealed record MissedData(Guid AgreementId, DateTimeOffset Occurrence);

    /// <summary>Records a conference session held yesterday (in the plan's zone) with oma and the monitor present.</summary>
    private async Task<Guid> SessionHeld(PlanBuilder plan, int daysAgo, string notes)
    {
        var now = await server.Now();
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime).AddDays(-daysAgo);
        var session = new { heldOn = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), membersPresent = new[] { plan.MemberId },
            professionalsPresent = new[] { plan.MonitorId, "veilig-thuis-1" }, notes };
        return await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/conference-sessions", session)).CreatedId();
    }

    [Fact]
    public async Task its_facts_equal_what_the_history_said_when_it_was_opened_and_later_events_do_not_change_them()
    {
        var plan = await PlanWithAnEscalation();
        var escalation = (await plan.Escalations("?state=open")).Single(e => e.PlanId == plan.PlanId);
        await server.Advance("PT25M");
        (await plan.Professional.Post($"/api/escalations/{escalation.Id}/acknowledge", new { note = "Gebeld" })).EnsureSuccessStatusCode();
        (await plan.CheckIn("kept")).EnsureSuccessStatusCode(); // a correction of the same occurrence: its last word is kept
        var firstSession = await SessionHeld(plan, daysAgo: 1, "Zorgen in kaart");

        var id = await Open(plan);
        var audit = await auditor.Get<CaseAudit>(Url(plan, id));

        // What the history says up to the audit's opening, computed here from the history as a reader gets it.
        var history = await plan.History(auditor);
        var opened = history.Single(e => e.Type == "case-audit-opened");
        audit.AsOfVersion.ShouldBe(opened.Version - 1);
        var before = history.Where(e => e.Version < opened.Version).ToList();
        var raised = before.Where(e => e.Type == "escalation-raised").ToList();
        var acknowledged = before.First(e => e.Type == "escalation-acknowledged");
        var reports = before.Where(e => e.Type == "check-in-logged").Select(e => e.DataAs<CheckInData>()).ToList();
        var lastWords = reports.GroupBy(c => (c.AgreementId, c.Occurrence)).Select(g => g.Last().Outcome).ToList();
        // A missed occurrence counts as missed only while nothing was reported for it.
        var missed = before.Where(e => e.Type == "check-in-missed").Select(e => e.DataAs<MissedData>()).Select(m => (m.AgreementId, m.Occurrence))
            .Distinct().Count(m => !reports.Any(r => (r.AgreementId, r.Occurrence) == m));
        var withOutcome = lastWords.Count + missed;
        var sessions = before.Where(e => e.Type == "conference-session-held").Select(e => e.DataAs<ConferenceSessionData>()).ToList();
        audit.Facts.ShouldBe(new CaseAuditFacts(
            Escalations: raised.Count,
            MedianAcknowledgeMinutes: Math.Round((acknowledged.At - raised.Single().At).TotalMinutes, 1),
            ComplianceRate: (double)lastWords.Count(o => o == Outcome.Kept) / withOutcome,
            EvaluationsOnTime: 0, Evaluations: before.Count(e => e.Type == "evaluation-recorded"), ConferenceSessions: sessions.Count,
            ComplianceByAgreement: new([new AgreementCompliance(plan.AgreementId, "Oma haalt de kinderen elke dag om 15:00 op.",
                WithOutcome: withOutcome, Kept: lastWords.Count(o => o == Outcome.Kept), Partly: lastWords.Count(o => o == Outcome.Partly),
                NotKept: lastWords.Count(o => o == Outcome.NotKept), Missed: missed, Rate: (double)lastWords.Count(o => o == Outcome.Kept) / withOutcome)]),
            ConferenceAttendance: new(sessions.Select(s => new ConferenceAttendance(s.SessionId, s.HeldOn, s.MembersPresent, s.ProfessionalsPresent)).ToList())));
        // And what that is, so that the two cannot be wrong together.
        audit.Facts.ShouldBe(new CaseAuditFacts(1, 25, 1, 0, 0, 1,
            new([new AgreementCompliance(plan.AgreementId, "Oma haalt de kinderen elke dag om 15:00 op.", 1, 1, 0, 0, 0, 1)]),
            new([new ConferenceAttendance(firstSession, sessions.Single().HeldOn, new([plan.MemberId]), new([plan.MonitorId, "veilig-thuis-1"]))])));

        // Later: another occurrence not kept. The audit keeps its facts; an audit opened now sees them.
        await server.AdvanceToNext(new TimeOnly(16, 0));
        await server.Advance("P1D");
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        await SessionHeld(plan, daysAgo: 0, "Tweede sessie");
        (await auditor.Get<CaseAudit>(Url(plan, id))).Facts.ShouldBe(audit.Facts);
        var later = await auditor.Get<CaseAudit>(Url(plan, await Open(plan, professional: plan.BackupId)));
        later.Facts.ComplianceRate.ShouldNotBeNull().ShouldBeLessThan(1); // the history did move on
        later.Facts.ComplianceByAgreement.ShouldNotBeNull().Single().NotKept.ShouldBe(1);
        later.Facts.ConferenceAttendance.ShouldNotBeNull().Count.ShouldBe(2);
    }

    [Fact]
    public async Task a_signed_audit_refuses_changes_and_signing_again_appends_nothing()
    {
        var plan = await PlanWithAnEscalation();
        var id = await Open(plan);
        var professional = plan.Professional;

        (await professional.PutAsJsonAsync(Url(plan, id), Text(), ServerFixture.Json)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var once = await (await professional.PostAsync($"{Url(plan, id)}/sign", null)).Read<CaseAudit>();
        once.State.ShouldBe("open");
        once.SignedBy.ShouldBe([plan.MonitorId]);
        var both = await (await auditor.PostAsync($"{Url(plan, id)}/sign", null)).Read<CaseAudit>();
        both.State.ShouldBe("signed");
        both.SignedBy.ShouldBe([plan.MonitorId, both.AuditorId], ignoreOrder: true);

        // Counted by the audit's own events: the plan's deliveries are recorded in the same stream at their own pace.
        var written = await AuditEvents(plan);
        (await professional.PutAsJsonAsync(Url(plan, id), Text("Achteraf anders."), ServerFixture.Json)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await auditor.PutAsJsonAsync(Url(plan, id), Text("Achteraf anders."), ServerFixture.Json)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await professional.PostAsync($"{Url(plan, id)}/sign", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AuditEvents(plan)).ShouldBe(written);
        var read = await auditor.Get<CaseAudit>(Url(plan, id));
        (read.State, read.Reflection, read.Answers["family-heard"]).ShouldBe(("signed", "We belden de school te laat.", new CaseAuditAnswer(4, "Moeder kwam goed aan het woord.")));
    }

    [Fact]
    public async Task a_change_after_one_signature_voids_it()
    {
        var plan = await PlanWithAnEscalation();
        var id = await Open(plan);
        (await auditor.PutAsJsonAsync(Url(plan, id), Text(), ServerFixture.Json)).EnsureSuccessStatusCode();
        (await plan.Professional.PostAsync($"{Url(plan, id)}/sign", null)).EnsureSuccessStatusCode();
        var changed = await (await auditor.PutAsJsonAsync(Url(plan, id), Text("Na de handtekening gewijzigd."), ServerFixture.Json)).Read<CaseAudit>();
        (changed.State, changed.Revision, changed.SignedBy.Count()).ShouldBe(("open", 2, 0));
    }

    /// <summary>
    /// Reviewer's defect: a signature sent for revision 1 landed on revision 2, a text its signer never saw. A signature or a
    /// save that names the revision it read is refused (409, nothing appended) once someone saved since; without a revision
    /// both behave as before (the contract's empty sign body).
    /// </summary>
    [Fact]
    public async Task a_signature_or_a_save_of_a_revision_no_longer_current_is_refused_and_appends_nothing()
    {
        var plan = await PlanWithAnEscalation();
        var id = await Open(plan);
        var professional = plan.Professional;
        (await auditor.PutAsJsonAsync(Url(plan, id), Text("v1"), ServerFixture.Json)).EnsureSuccessStatusCode();
        var second = await (await auditor.PutAsJsonAsync(Url(plan, id), Text("v2"), ServerFixture.Json)).Read<CaseAudit>();
        second.Revision.ShouldBe(2);
        var before = await AuditEvents(plan);

        var stale = await professional.PostAsJsonAsync($"{Url(plan, id)}/sign", new { revision = 1 }, ServerFixture.Json);
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var detail = (await stale.Json()).GetProperty("detail").GetString()!;
        detail.ShouldContain("revision 2");
        var staleSave = await professional.PutAsJsonAsync(Url(plan, id), new { answers = new Dictionary<string, object>(), reflection = "over v1 heen", learningPoints = "", revision = 1 }, ServerFixture.Json);
        staleSave.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AuditEvents(plan)).ShouldBe(before);
        var unchanged = await auditor.Get<CaseAudit>(Url(plan, id));
        (unchanged.Revision, unchanged.Reflection, unchanged.SignedBy.Count()).ShouldBe((2, "v2", 0));

        // Not a positive whole number: 400 naming the field; nothing appended.
        foreach (var bad in new object[] { new { revision = 0 }, new { revision = -3 }, new { revision = "twee" }, new { revision = 1.5 } })
        {
            var refused = await professional.PostAsJsonAsync($"{Url(plan, id)}/sign", bad, ServerFixture.Json);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, System.Text.Json.JsonSerializer.Serialize(bad));
            (await refused.Json()).GetProperty("errors").TryGetProperty("revision", out _).ShouldBeTrue();
        }
        var negativeSave = await professional.PutAsJsonAsync(Url(plan, id), new { reflection = "x", revision = -1 }, ServerFixture.Json);
        negativeSave.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await negativeSave.Json()).GetProperty("errors").TryGetProperty("revision", out _).ShouldBeTrue();
        (await AuditEvents(plan)).ShouldBe(before);

        // The current revision: the save and the signature are taken, the signature of the text read.
        var third = await (await professional.PutAsJsonAsync(Url(plan, id), new { answers = new Dictionary<string, object>(), reflection = "v3", learningPoints = "", revision = 2 }, ServerFixture.Json)).Read<CaseAudit>();
        third.Revision.ShouldBe(3);
        var signed = await (await professional.PostAsJsonAsync($"{Url(plan, id)}/sign", new { revision = 3 }, ServerFixture.Json)).Read<CaseAudit>();
        (signed.Revision, signed.Reflection).ShouldBe((3, "v3"));
        signed.SignedBy.ShouldBe([plan.MonitorId]);
        // Without a body, as the contract has it: the current revision.
        var both = await (await auditor.PostAsync($"{Url(plan, id)}/sign", null)).Read<CaseAudit>();
        both.State.ShouldBe("signed");
    }

    [Fact]
    public async Task another_professional_cannot_read_an_audit_nor_a_member_and_its_text_stays_out_of_their_history_and_case_file()
    {
        var plan = await PlanWithAnEscalation();
        var id = await Open(plan);
        (await auditor.PutAsJsonAsync(Url(plan, id), Text("Geheime reflectie over moeder."), ServerFixture.Json)).EnsureSuccessStatusCode();
        var backup = server.As(plan.BackupId, "professional"); // works on the plan, reads its history: not a participant

        (await plan.Professional.GetAsync(Url(plan, id))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.As("another-auditor", "auditor").GetAsync(Url(plan, id))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await backup.GetAsync(Url(plan, id))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("stranger", "professional").GetAsync(Url(plan, id))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await plan.Member.GetAsync(Url(plan, id))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("lead-elsewhere", "professional,teamlead").GetAsync(Url(plan, id))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await backup.PutAsJsonAsync(Url(plan, id), Text("Overschreven"), ServerFixture.Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await backup.PostAsync($"{Url(plan, id)}/sign", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await backup.Post($"/api/plans/{plan.PlanId}/case-audits", new { professionalId = plan.MonitorId })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var history = await (await backup.GetAsync($"/api/plans/{plan.PlanId}/history")).Content.ReadAsStringAsync();
        history.ShouldContain("case-audit-written");
        history.ShouldNotContain("Geheime reflectie");
        history.ShouldNotContain("Moeder kwam goed aan het woord");
        (await (await backup.GetAsync($"/api/plans/{plan.PlanId}/export")).Content.ReadAsStringAsync()).ShouldNotContain("Geheime reflectie");
        (await (await backup.GetAsync($"/api/plans/{plan.PlanId}/export?format=html")).Content.ReadAsStringAsync()).ShouldNotContain("Geheime reflectie");
        (await (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}")).Content.ReadAsStringAsync()).ShouldNotContain("Geheime reflectie");

        // The organisation's auditors read it in the case file, printable in both languages.
        var html = await (await server.As("another-auditor", "auditor", "nl").GetAsync($"/api/plans/{plan.PlanId}/export?format=html")).Content.ReadAsStringAsync();
        html.ShouldContain("Geheime reflectie over moeder.");
        html.ShouldContain("Werd het gezin gehoord");
    }

    [Fact]
    public async Task a_team_lead_opens_an_audit_of_a_professional_of_their_own_team_and_not_of_another()
    {
        var plan = await PlanWithAnEscalation();
        var admin = server.As("admin", "admin");
        var lead = $"lead-{Guid.NewGuid():N}"[..16];
        var otherLead = $"lead-{Guid.NewGuid():N}"[..16];
        foreach (var (user, team, roles) in new[] { (plan.MonitorId, "noord", new[] { "professional" }), (lead, "noord", new[] { "professional", "teamlead" }), (otherLead, "zuid", new[] { "teamlead" }) })
            (await admin.PutAsync($"/api/users/{user}", JsonContent.Create(new { name = "N", email = "n@example.org", language = "nl", roles, team }))).EnsureSuccessStatusCode();

        (await server.As(otherLead, "teamlead").Post($"/api/plans/{plan.PlanId}/case-audits", new { professionalId = plan.MonitorId }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var teamLead = server.As(lead, "professional,teamlead");
        var id = await Open(plan, teamLead);
        (await teamLead.Get<CaseAudit>(Url(plan, id))).AuditorId.ShouldBe(lead);
        // Asked again: the same audit, nothing appended.
        // Counted by the audit's own events: the plan's deliveries are recorded in the same stream at their own pace.
        var written = await AuditEvents(plan);
        var again = await teamLead.Post($"/api/plans/{plan.PlanId}/case-audits", new { professionalId = plan.MonitorId });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Json()).GetProperty("id").GetGuid().ShouldBe(id);
        (await AuditEvents(plan)).ShouldBe(written);
    }

    [Fact]
    public async Task an_unknown_question_or_a_score_outside_1_to_5_is_refused_naming_the_field()
    {
        var plan = await PlanWithAnEscalation();
        var id = await Open(plan);
        var response = await auditor.PutAsJsonAsync(Url(plan, id), new
        {
            answers = new Dictionary<string, object> { ["weather"] = new { score = 3 }, ["family-heard"] = new { score = 0 } },
            reflection = "r", learningPoints = "l",
        }, ServerFixture.Json);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Json()).GetProperty("errors");
        errors.TryGetProperty("answers.weather", out _).ShouldBeTrue();
        errors.TryGetProperty("answers.family-heard.score", out _).ShouldBeTrue();
        (await auditor.Post($"/api/plans/{plan.PlanId}/case-audits", new { professionalId = "nobody-of-this-plan" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_page_save_that_sends_no_score_field_saves_its_text_and_takes_no_other_field_for_a_question()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var audit = await Open(plan);
        var browser = server.Browser();
        await SignIn(browser, plan.MonitorId, "professional");
        var page = $"/plans/{plan.PlanId}/case-audits/{audit}";
        var api = $"/api/plans/{plan.PlanId}/case-audits/{audit}";
        var revision = (await auditor.GetFromJsonAsync<AuditShape>(api, ServerFixture.Json))!.Revision;

        // No scores[...] and no notes[...] at all: before, the page bound every other field (revision, reflection) as a question.
        var saved = await browser.PostAsync($"{page}?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Token(browser, page), ["reflection"] = "Alleen een reflectie.", ["learningPoints"] = "", ["revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));

        saved.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Redirect, HttpStatusCode.SeeOther);
        var read = (await auditor.GetFromJsonAsync<AuditShape>(api, ServerFixture.Json))!;
        read.Reflection.ShouldBe("Alleen een reflectie.");
        read.Revision.ShouldBe(revision + 1);
    }

    private sealed record AuditShape(string? Reflection, int Revision);
}
