using System.Net;
using System.Text;

namespace SafetyPlan.CaseAudits;

/// <summary>A case audit as printable HTML, Dutch or English: in the case file (Audit/CaseFile.cs) and on the audit's print page.</summary>
public static class CaseAuditPrint
{
    /// <summary>The audit as a section under a heading of level <paramref name="level"/> (2 in the case file, 1 on its own page); every text encoded.</summary>
    public static string Section(CaseAuditView audit, string language, int level)
    {
        var nl = language == "nl";
        string T(string en, string dutch) => WebUtility.HtmlEncode(nl ? dutch : en);
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        string N(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "–";
        var (h, sub) = ($"h{level}", $"h{level + 1}");
        var html = new StringBuilder();
        html.Append($"<section class=\"case-audit\"><{h}>{T("Case audit", "Casusaudit")} · {E(audit.ProfessionalId)} · {T("auditor", "auditor")} {E(audit.AuditorId)}</{h}>");
        html.Append($"<p>{T("Opened", "Geopend")} {E(audit.OpenedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC · ");
        html.Append($"{T("state", "status")}: <strong>{(audit.State == CaseAuditState.Signed ? T("signed by both", "door beiden ondertekend") : T("open", "open"))}</strong> · ");
        html.Append($"{T("revision", "herziening")} {audit.Revision}</p>");
        html.Append($"<{sub}>{T("Facts at the opening", "Feiten bij het openen")} ({T("version", "versie")} {audit.AsOfVersion})</{sub}><table>");
        html.Append($"<tr><th>{T("Escalations", "Escalaties")}</th><td>{audit.Facts.Escalations}</td></tr>");
        html.Append($"<tr><th>{T("Median minutes to acknowledge", "Mediaan minuten tot bevestiging")}</th><td>{N(audit.Facts.MedianAcknowledgeMinutes)}</td></tr>");
        html.Append($"<tr><th>{T("Compliance (kept / occurrences with an outcome)", "Naleving (nagekomen / momenten met uitkomst)")}</th><td>{N(audit.Facts.ComplianceRate)}</td></tr>");
        html.Append($"<tr><th>{T("Evaluations on time", "Evaluaties op tijd")}</th><td>{audit.Facts.EvaluationsOnTime} / {audit.Facts.Evaluations}</td></tr>");
        html.Append($"<tr><th>{T("Conference sessions", "Netwerkberaden (sessies)")}</th><td>{audit.Facts.ConferenceSessions}</td></tr></table>");
        html.Append($"<{sub}>{T("Practice questions", "Praktijkvragen")}</{sub}><table><tr><th>{T("Question", "Vraag")}</th><th>{T("Score (1-5)", "Score (1-5)")}</th><th>{T("Note", "Toelichting")}</th></tr>");
        foreach (var (key, question) in PracticeQuestions.All)
        {
            var answer = audit.Answers.GetValueOrDefault(key);
            html.Append($"<tr><td>{E(question.In(language))}</td><td>{(answer is null ? "–" : answer.Score.ToString(CultureInfo.InvariantCulture))}</td><td>{E(answer?.Note)}</td></tr>");
        }
        html.Append("</table>");
        html.Append($"<{sub}>{T("Reflection", "Reflectie")}</{sub}><p class=\"text\">{E(audit.Reflection)}</p>");
        html.Append($"<{sub}>{T("Learning points", "Leerpunten")}</{sub}><p class=\"text\">{E(audit.LearningPoints)}</p>");
        html.Append($"<p>{T("Signed by", "Ondertekend door")}: {(audit.SignedBy.Count == 0 ? "–" : E(string.Join(", ", audit.SignedBy)))}</p></section>");
        return html.ToString();
    }
}
