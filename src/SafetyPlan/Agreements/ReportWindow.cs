namespace SafetyPlan.Agreements;

/// <summary>The occurrence a check-in is about, and whether it came in time.</summary>
/// <param name="Occurrence">the scheduled moment reported on</param>
/// <param name="Late">made after the occurrence's report window closed</param>
public sealed record ReportTarget(DateTimeOffset Occurrence, bool Late);

/// <summary>
/// Report windows (domain.md, "Rules for reports, time and alarms", "Which occurrence"): an occurrence <c>o</c> takes
/// reports from <c>o - reportFrom</c> (inclusive) until its grace period ends at <c>o + grace</c> (exclusive, the moment
/// the sweep records it as missed). A report names its occurrence, or is about the one whose window is open now (the
/// earliest open one nobody reported on yet, else the latest open one: a correction); outside every window it is about
/// the most recent past occurrence and is late. It is never booked on a future occurrence whose window is not open.
/// </summary>
public static class ReportWindow
{
    /// <summary>The contract's default <c>reportFrom</c>: one hour before the occurrence.</summary>
    public static readonly TimeSpan DefaultReportFrom = TimeSpan.FromHours(1);

    /// <summary>The contract's default <c>remindBefore</c>: thirty minutes before the occurrence.</summary>
    public static readonly TimeSpan DefaultRemindBefore = TimeSpan.FromMinutes(30);

    public static DateTimeOffset Opens(Agreement agreement, DateTimeOffset occurrence) => occurrence - agreement.ReportFrom;

    /// <summary>When the window closes and the occurrence, unreported, is missed: the end of its grace period.</summary>
    public static DateTimeOffset Closes(Agreement agreement, DateTimeOffset occurrence) => occurrence + agreement.Grace;

    public static bool IsOpen(Agreement agreement, DateTimeOffset occurrence, DateTimeOffset now) =>
        now >= Opens(agreement, occurrence) && now < Closes(agreement, occurrence);

    /// <summary>
    /// The occurrence a report made at <paramref name="now"/> is about. Rejections: 400 (<c>occurrence</c>) for a time that
    /// is not one of the agreement's occurrences; 409 for an occurrence whose window has not opened yet, or when the
    /// agreement has no occurrence to report on yet.
    /// </summary>
    public static Decision<ReportTarget> For(Plan plan, Agreement agreement, DateTimeOffset? named, DateTimeOffset now)
    {
        var zone = plan.Zone();
        var start = agreement.StartsAfter(plan);
        if (named is { } occurrence)
        {
            if (occurrence <= start || !agreement.Schedule.IsOccurrence(occurrence, zone))
                return Rejection.Invalid("occurrence", "This is not a scheduled time of this agreement.",
                    "Dit is geen gepland moment van deze afspraak.");
            if (now < Opens(agreement, occurrence)) return NotOpenYet(agreement, occurrence);
            return Decision.Accept(new ReportTarget(occurrence, Late: now >= Closes(agreement, occurrence)));
        }

        var openFrom = now - agreement.Grace;
        var open = agreement.Schedule.Occurrences(openFrom > start ? openFrom : start, now + agreement.ReportFrom, zone).ToList();
        if (open.Count > 0)
            return Decision.Accept(new ReportTarget(open.FirstOrDefault(o => !IsReported(agreement, o), open[^1]), Late: false));
        if (agreement.Schedule.Previous(now, start, zone) is { } past) return Decision.Accept(new ReportTarget(past, Late: true));
        return agreement.Schedule.Next(now > start ? now : start, zone) is { } first
            ? NotOpenYet(agreement, first)
            : Rejection.Conflict("This agreement has no occurrence to report on.", "Deze afspraak heeft geen moment om op terug te melden.");
    }

    private static bool IsReported(Agreement agreement, DateTimeOffset occurrence) =>
        agreement.FindOccurrence(occurrence) is { } record && (record.Outcome is not null || record.Missed);

    private static Rejection NotOpenYet(Agreement agreement, DateTimeOffset occurrence)
    {
        var opens = Opens(agreement, occurrence).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        return Rejection.Conflict($"This occurrence takes reports from {opens}; a report is never booked on a future occurrence.",
            $"Op dit moment kan pas vanaf {opens} worden teruggemeld; een melding wordt nooit op een toekomstig moment geboekt.");
    }
}
