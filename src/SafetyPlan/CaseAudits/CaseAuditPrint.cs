using System.Net;
using System.Text;

namespace SafetyPlan.CaseAudits;

/// <summary>A case audit as printable HTML, Dutch or English: in the case file (Audit/CaseFile.cs) and on the audit's print page.</summary>
public static class CaseAuditPrint
{
    /// <summary>
    /// The audit as a section under a heading of level <paramref name="level"/> (2 in the case file, 1 on its own page); every
    /// text encoded. <paramref name="memberName"/>: a network member's name by id, for a reader who may read the plan (null
    /// when the member is no longer in the network: their id); null for a reader who may not (a team lead): the sessions
    /// then give the number of members present and say that their names are for the plan's readers only. Times read in
    /// <paramref name="zone"/>, the plan's time zone (named beside them), UTC when none is given.
    /// </summary>
    public static string Section(CaseAuditView audit, string language, int level, Func<Guid, string?>? memberName = null, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Utc;
        string At(DateTimeOffset t) => WebUtility.HtmlEncode(TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id);
        var nl = language == "nl";
        string T(string en, string dutch) => WebUtility.HtmlEncode(nl ? dutch : en);
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        string N(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "–";
        var (h, sub) = ($"h{level}", $"h{level + 1}");
        var html = new StringBuilder();
        html.Append($"<section class=\"case-audit\"><{h}>{T("Case audit", "Casusaudit")} · {E(audit.ProfessionalId)} · {T("auditor", "auditor")} {E(audit.AuditorId)}</{h}>");
        html.Append($"<p>{T("Opened", "Geopend")} {At(audit.OpenedAt)} · ");
        html.Append($"{T("state", "status")}: <strong>{(audit.State == CaseAuditState.Signed ? T("signed by both", "door beiden ondertekend") : T("open", "open"))}</strong> · ");
        html.Append($"{T("revision", "herziening")} {audit.Revision}</p>");
        html.Append($"<{sub}>{T("Facts at the opening", "Feiten bij het openen")} ({T("version", "versie")} {audit.AsOfVersion})</{sub}><table>");
        html.Append($"<tr><th>{T("Escalations", "Escalaties")}</th><td>{audit.Facts.Escalations}</td></tr>");
        html.Append($"<tr><th>{T("Median minutes to acknowledge", "Mediaan minuten tot bevestiging")}</th><td>{N(audit.Facts.MedianAcknowledgeMinutes)}</td></tr>");
        html.Append($"<tr><th>{T("Compliance (kept / occurrences with an outcome)", "Naleving (nagekomen / momenten met uitkomst)")}</th><td>{N(audit.Facts.ComplianceRate)}</td></tr>");
        html.Append($"<tr><th>{T("Evaluations on time", "Evaluaties op tijd")}</th><td>{audit.Facts.EvaluationsOnTime} / {audit.Facts.Evaluations}</td></tr>");
        html.Append($"<tr><th>{T("Conference sessions", "Sessies van de netwerkconferentie")}</th><td>{audit.Facts.ConferenceSessions}</td></tr></table>");
        FactsPerAgreementAndSession(html, audit.Facts, nl, sub, T, E, N, memberName);
        html.Append($"<{sub}>{T("Practice questions", "Praktijkvragen")}</{sub}><table><tr><th>{T("Question", "Vraag")}</th><th>{T("Score (1-5)", "Score (1-5)")}</th><th>{T("Note", "Toelichting")}</th></tr>");
        foreach (var (key, question) in PracticeQuestions.All)
        {
            var answer = audit.Answers.GetValueOrDefault(key);
            html.Append($"<tr><td>{E(question.In(language))}</td><td>{(answer is null ? "–" : answer.Score.ToString(CultureInfo.InvariantCulture))}</td><td>{E(answer?.Note)}</td></tr>");
        }
        html.Append("</table>");
        html.Append($"<{sub}>{T("Reflection", "Reflectie")}</{sub}><p class=\"text\">{E(audit.Reflection)}</p>");
        html.Append($"<{sub}>{T("Learning points", "Leerpunten")}</{sub}><p class=\"text\">{E(audit.LearningPoints)}</p>");
        html.Append($"<p>{T("Signed by", "Ondertekend door")}: {(audit.SignedBy.Count == 0 ? "–" : E(string.Join(", ", audit.SignedBy)))}");
        if (audit.SignedAt is { } signedAt) html.Append($" · {T("closed when both had signed", "gesloten toen beiden hadden getekend")}: {At(signedAt)}");
        html.Append("</p></section>");
        return html.ToString();
    }

    private static void FactsPerAgreementAndSession(StringBuilder html, CaseAuditFacts facts, bool nl, string sub, Func<string, string, string> T,
        Func<string?, string> E, Func<double?, string> N, Func<Guid, string?>? memberName)
    {
        if (facts.ComplianceByAgreement is not { } agreements || facts.ConferenceAttendance is not { } sessions)
        {
            html.Append($"<p>{T("Compliance per agreement and attendance per session: not recorded for an audit opened before these facts existed.", "Naleving per afspraak en aanwezigheid per sessie: niet vastgelegd bij een audit die werd geopend voordat deze feiten bestonden.")}</p>");
            return;
        }
        html.Append($"<{sub}>{T("Compliance per agreement", "Naleving per afspraak")}</{sub}><table><tr><th>{T("Agreement", "Afspraak")}</th><th>{T("with an outcome", "met uitkomst")}</th><th>{T("kept", "nagekomen")}</th><th>{T("partly", "deels")}</th><th>{T("not kept", "niet nagekomen")}</th><th>{T("missed", "gemist")}</th><th>{T("rate", "naleving")}</th></tr>");
        foreach (var a in agreements)
            html.Append($"<tr><td>{E(a.Title)}</td><td>{a.WithOutcome}</td><td>{a.Kept}</td><td>{a.Partly}</td><td>{a.NotKept}</td><td>{a.Missed}</td><td>{N(a.Rate)}</td></tr>");
        html.Append("</table>");
        html.Append($"<{sub}>{T("Conference sessions and who took part", "Sessies van de netwerkconferentie en wie er waren")}</{sub}>");
        if (memberName is null) html.Append($"<p>{T("Network members are given by number: their names are shown only to those who may read the plan.", "Netwerkleden staan hier als aantal: hun namen ziet alleen wie het plan mag lezen.")}</p>");
        html.Append($"<table><tr><th>{T("Held on", "Gehouden op")}</th><th>{T("Network members present", "Aanwezige netwerkleden")}</th><th>{T("Professionals present", "Aanwezige professionals")}</th></tr>");
        foreach (var s in sessions.OrderBy(s => s.HeldOn)) // by date also for audits opened before the facts were (2026-11-30)
        {
            var members = memberName is null ? s.MembersPresent.Count.ToString(CultureInfo.InvariantCulture)
                : string.Join(", ", s.MembersPresent.Select(id => memberName(id) ?? id.ToString()));
            html.Append($"<tr><td>{E(s.HeldOn.ToString(nl ? "dd-MM-yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture))}</td><td>{E(members)}</td><td>{E(string.Join(", ", s.ProfessionalsPresent))}</td></tr>");
        }
        html.Append("</table>");
    }
}
