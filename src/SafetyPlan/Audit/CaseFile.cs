using System.Net;
using System.Text;
using SafetyPlan.History;

namespace SafetyPlan.Audit;

/// <param name="RaisedTo">the monitor it was raised to, whose response time it is, also after a handover moved it to another (Handover/)</param>
public sealed record EscalationResponse(Guid Id, string BottomLine, DateTimeOffset RaisedAt, DateTimeOffset AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt, bool PassedToBackup, double? MinutesToAcknowledge, string? RaisedTo = null);

public sealed record TimelineEntry(long Version, DateTimeOffset At, string Type, string? Actor, string Description);

/// <summary>
/// Everything an audit of one case needs, in one document. <paramref name="CaseAudits"/>: the collaborative case audits
/// this reader may read (all for the organisation's auditors, their own for a participant, none for anyone else).
/// </summary>
public sealed record CaseFile(
    DateTimeOffset ExportedAt, string ExportedBy, PlanStatus Plan, IReadOnlyList<EvaluationRecorded> Evaluations,
    IReadOnlyList<EscalationResponse> Escalations, IReadOnlyList<TimelineEntry> Timeline, ChainVerification? Chain,
    IReadOnlyList<CaseAudits.CaseAuditView> CaseAudits);

/// <summary><c>GET /api/plans/{planId}/export?format=json|html</c>: the case file for an audit, machine-readable or printable (Dutch or English).</summary>
public static class CaseFileExport
{
    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/export", async (
            Guid planId, string? format, HttpContext http, IQuerySession session, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var plan = await session.LoadAsync<Plan>(planId, ct);
            if (plan is null) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);
            var events = await session.Events.FetchStreamAsync(planId, token: ct);
            var now = clock.GetUtcNow();
            var file = new CaseFile(
                now, caller.UserId, PlanStatusView.Status(plan, now), plan.Evaluations,
                plan.Escalations.Select(e => new EscalationResponse(
                    e.Id, plan.FindBottomLine(e.BottomLineId)?.Text ?? "", e.RaisedAt, e.AcknowledgeBy, e.AcknowledgedAt, e.ResolvedAt,
                    e.PassedToBackupAt is not null, e.AcknowledgedAt is { } ack ? Math.Round((ack - e.RaisedAt).TotalMinutes, 1) : null, e.RaisedTo)).ToList(),
                events.Select(e => new TimelineEntry(e.Version, ((IPlanEvent)e.Data).At, PlanHistory.TypeName(e.EventType), e.UserName,
                    EventDescriptions.Describe(Privacy.MembersNotes.ForReader(e.Data, caller)).In(caller.Language))).ToList(),
                await VerifyChain.Verify(store, session.TenantId, planId, ct),
                plan.CaseAudits.Where(a => CaseAudits.CaseAuditGuards.MayRead(a, caller)).Select(CaseAudits.CaseAuditView.Of).ToList());
            return format switch
            {
                null or "json" => Results.Ok(file),
                "html" => Results.Content(Html(file, caller.Language), "text/html; charset=utf-8"),
                _ => Rejection.Invalid("format", "'format' must be json or html.", "'format' moet json of html zijn.").ToProblem(caller.Language),
            };
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("The case file for an audit: the plan, its evaluations, escalations with response times, the timeline and the hash-chain check, as JSON or a printable page (professionals and auditors).")
        .Produces<CaseFile>();

    /// <summary>The printable page's only style, inline so that the page stands alone; the CSP admits exactly this text by its hash (Web/Hardening).</summary>
    public const string Style = "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#111}table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eee}@media print{body{margin:0}}";

    public static string Html(CaseFile file, string language)
    {
        var nl = language == "nl";
        string T(string en, string dutch) => WebUtility.HtmlEncode(nl ? dutch : en);
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        string Time(DateTimeOffset? t) => t is { } v ? E(TimeZoneInfo.ConvertTime(v, TimeZoneInfo.FindSystemTimeZoneById(file.Plan.TimeZone)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)) : "–";
        var plan = file.Plan;
        var html = new StringBuilder();
        html.Append($"<!doctype html><html lang=\"{(nl ? "nl" : "en")}\"><head><meta charset=\"utf-8\"><title>{E(plan.Title)}</title>");
        html.Append($"<style>{Style}</style></head><body>");
        html.Append($"<h1>{T("Case file", "Dossier")}: {E(plan.Title)}</h1>");
        html.Append($"<p>{E(plan.Family)} · {T("status", "status")}: <strong>{E(plan.Status.ToString().ToLowerInvariant())}</strong> · {T("state", "fase")}: {E(plan.State.ToString().ToLowerInvariant())} · {T("version", "versie")} {plan.Version}, {T("revision", "herziening")} {plan.Revision}</p>");
        html.Append($"<p>{T("Exported", "Geëxporteerd")} {Time(file.ExportedAt)} {T("by", "door")} {E(file.ExportedBy)} · {T("hash chain", "hashketen")}: {(file.Chain?.Intact == true ? T("intact", "intact") : T("NOT intact", "NIET intact"))}</p>");

        html.Append($"<h2>{T("Safety goals", "Veiligheidsdoelen")}</h2><table><tr><th>{T("Danger statement", "Gevaarsverklaring")}</th><th>{T("Safety goal", "Veiligheidsdoel")}</th></tr>");
        foreach (var g in plan.Goals) html.Append($"<tr><td>{E(g.Danger)}</td><td>{E(g.Goal)}</td></tr>");
        html.Append("</table>");

        html.Append($"<h2>{T("Compliance per agreement", "Naleving per afspraak")}</h2><table><tr><th>{T("Agreement", "Afspraak")}</th><th>{T("due", "gepland")}</th><th>{T("kept", "nagekomen")}</th><th>{T("partly", "deels")}</th><th>{T("not kept", "niet nagekomen")}</th><th>{T("missed", "gemist")}</th></tr>");
        foreach (var a in plan.Agreements)
            html.Append($"<tr><td>{E(a.Text)}{(a.Withdrawn ? " (" + T("withdrawn", "ingetrokken") + ")" : "")}</td><td>{a.Due}</td><td>{a.Kept}</td><td>{a.Partly}</td><td>{a.NotKept}</td><td>{a.Missed}</td></tr>");
        html.Append("</table>");

        html.Append($"<h2>{T("Bottom lines", "Bodemeisen")}</h2><table><tr><th>{T("Bottom line", "Bodemeis")}</th><th>{T("Rule", "Regel")}</th><th>{T("Crossed", "Overschreden")}</th></tr>");
        foreach (var b in plan.BottomLines) html.Append($"<tr><td>{E(b.Text)}</td><td>{E(b.Rule.Describe(nl ? "nl" : "en"))}</td><td>{(b.Crossed ? T("yes", "ja") : T("no", "nee"))}</td></tr>");
        html.Append("</table>");

        html.Append($"<h2>{T("Monitoring professionals", "Regiehouders")}</h2><ul>");
        foreach (var m in plan.Monitors) html.Append($"<li>{E(m.UserId)}: {Time(m.From)} – {(m.To is { } to ? Time(to) : T("now", "nu"))}</li>");
        html.Append("</ul>");

        html.Append($"<h2>{T("Escalations and response times", "Escalaties en reactietijden")}</h2><table><tr><th>{T("Bottom line", "Bodemeis")}</th><th>{T("Raised to", "Gemeld aan")}</th><th>{T("Raised", "Gemeld")}</th><th>{T("Acknowledge by", "Bevestigen vóór")}</th><th>{T("Acknowledged", "Bevestigd")}</th><th>{T("Minutes", "Minuten")}</th><th>{T("To backup", "Naar achtervang")}</th><th>{T("Resolved", "Afgehandeld")}</th></tr>");
        foreach (var e in file.Escalations)
            html.Append($"<tr><td>{E(e.BottomLine)}</td><td>{E(e.RaisedTo)}</td><td>{Time(e.RaisedAt)}</td><td>{Time(e.AcknowledgeBy)}</td><td>{Time(e.AcknowledgedAt)}</td><td>{e.MinutesToAcknowledge?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"}</td><td>{(e.PassedToBackup ? T("yes", "ja") : T("no", "nee"))}</td><td>{Time(e.ResolvedAt)}</td></tr>");
        html.Append("</table>");

        ConferenceSection(html, plan, nl, T, E);

        html.Append($"<h2>{T("Evaluations", "Evaluaties")}</h2><table><tr><th>{T("When", "Wanneer")}</th><th>{T("Outcome", "Uitkomst")}</th><th>{T("Notes", "Notities")}</th></tr>");
        foreach (var e in file.Evaluations) html.Append($"<tr><td>{Time(e.At)}</td><td>{E(e.Outcome.ToString().ToLowerInvariant())}</td><td>{E(e.Notes)}</td></tr>");
        html.Append("</table>");

        foreach (var audit in file.CaseAudits) html.Append(CaseAudits.CaseAuditPrint.Section(audit, nl ? "nl" : "en", 2,
            id => plan.Members.FirstOrDefault(m => m.Id == id)?.Name, TimeZoneInfo.FindSystemTimeZoneById(file.Plan.TimeZone)));

        html.Append($"<h2>{T("Timeline", "Tijdlijn")}</h2><table><tr><th>#</th><th>{T("When", "Wanneer")}</th><th>{T("Who", "Wie")}</th><th>{T("What", "Wat")}</th></tr>");
        foreach (var t in file.Timeline) html.Append($"<tr><td>{t.Version}</td><td>{Time(t.At)}</td><td>{E(t.Actor)}</td><td>{E(t.Description)}</td></tr>");
        html.Append("</table></body></html>");
        return html.ToString();
    }

    /// <summary>The referral and the conference's sessions: who referred, when, by when the first session was due, and each session with who was present (names of members still in the network, else their ids) and its notes.</summary>
    private static void ConferenceSection(StringBuilder html, PlanStatus plan, bool nl, Func<string, string, string> T, Func<string?, string> E)
    {
        if (plan.Referral is null && plan.ConferenceSessions is not { Count: > 0 }) return;
        string Day(DateOnly d) => E(d.ToString(nl ? "dd-MM-yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture));
        html.Append($"<h2>{T("Referral and network conference", "Aanmelding en netwerkconferentie")}</h2>");
        if (plan.Referral is { } referral)
            html.Append($"<p>{T("Referred by", "Aangemeld door")} {E(referral.By)}, {T("received", "ontvangen")} {Day(referral.ReceivedOn)}; "
                        + $"{T("first session due by", "eerste sessie uiterlijk")} {Day(referral.ConferenceDue)}{(plan.ConferenceOverdue ? " (" + T("overdue", "te laat") + ")" : "")}.</p>");
        html.Append($"<table><tr><th>{T("Held on", "Gehouden op")}</th><th>{T("Network members present", "Aanwezige netwerkleden")}</th><th>{T("Professionals present", "Aanwezige professionals")}</th><th>{T("Notes", "Notities")}</th></tr>");
        foreach (var session in plan.ConferenceSessions ?? [])
        {
            var members = session.MembersPresent.Select(id => plan.Members.FirstOrDefault(m => m.Id == id)?.Name ?? id.ToString());
            html.Append($"<tr><td>{Day(session.HeldOn)}</td><td>{E(string.Join(", ", members))}</td><td>{E(string.Join(", ", session.ProfessionalsPresent))}</td><td>{E(session.Notes)}</td></tr>");
        }
        html.Append("</table>");
    }
}
