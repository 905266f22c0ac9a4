using System.Xml;

namespace SafetyPlan.BottomLines;

public enum RuleKind { AnyBreach, Breaches, MissedInARow, Silence, Concern }

/// <summary>
/// A bottom line's rule, stored as data: which breaches, or how much silence, make professionals step in.
/// </summary>
public sealed record BottomLineRule(
    RuleKind Kind, Guid? AgreementId = null, int? Count = null, TimeSpan? Within = null, TimeSpan? For = null,
    Severity? MinSeverity = null)
{
    /// <summary>The rule in words, in English or Dutch (<paramref name="language"/> "nl").</summary>
    public string Describe(string language = "en")
    {
        var nl = language == "nl";
        return Kind switch
        {
            RuleKind.AnyBreach => nl ? "elke schending van de afspraak" : "any breach of the agreement",
            RuleKind.Breaches => nl
                ? $"{Count} schendingen{(AgreementId is null ? "" : " van de afspraak")} binnen {Span(Within!.Value, nl)}"
                : $"{Count} breaches{(AgreementId is null ? "" : " of the agreement")} within {Span(Within!.Value, nl)}",
            RuleKind.MissedInARow => nl
                ? $"{Count} gemiste terugmeldingen op rij{(AgreementId is null ? "" : " bij de afspraak")}"
                : $"{Count} missed check-ins in a row{(AgreementId is null ? "" : " on the agreement")}",
            RuleKind.Silence => nl ? $"van niemand een terugmelding gedurende {Span(For!.Value, nl)}" : $"no check-in from anyone for {Span(For!.Value, nl)}",
            RuleKind.Concern => nl
                ? $"een zorgmelding van ernst {MinSeverity!.Value switch { Severity.Low => "laag", Severity.Medium => "gemiddeld", _ => "hoog" }} of hoger"
                : $"a concern of severity {MinSeverity!.Value.ToString().ToLowerInvariant()} or higher",
        };
    }

    /// <summary>A period as people say it: whole days in days, whole hours in hours, anything else as ISO 8601.</summary>
    private static string Span(TimeSpan span, bool nl) => span switch
    {
        { Ticks: > 0 } when span.Ticks % TimeSpan.TicksPerDay == 0 => $"{span.Days} {(nl ? (span.Days == 1 ? "dag" : "dagen") : (span.Days == 1 ? "day" : "days"))}",
        { Ticks: > 0 } when span.Ticks % TimeSpan.TicksPerHour == 0 => $"{(int)span.TotalHours} {(nl ? "uur" : (span.TotalHours == 1 ? "hour" : "hours"))}",
        _ => XmlConvert.ToString(span),
    };

    /// <summary>
    /// Does this breach make the rule true? Judged on when breaches happened (<see cref="BreachRecorded.Date"/>), and only
    /// on breaches dated after the bottom line's last resolution (domain.md, "Rules for reports, time and alarms"), so
    /// the answer is the same whether the sweep runs every few seconds or catches up after a day. <paramref name="plan"/>
    /// does not hold <paramref name="breach"/> yet. Rules that need time to pass (silence) are judged by the sweep.
    /// </summary>
    public bool IsCrossedBy(BreachRecorded breach, Plan plan, BottomLine bottomLine)
    {
        if (bottomLine.LastResolvedAt is { } resolved && breach.Date <= resolved) return false;
        return Kind switch
        {
            RuleKind.AnyBreach => breach.AgreementId == AgreementId,
            RuleKind.Breaches => Concerns(breach.AgreementId) && HasWindowOfCount(breach, plan, bottomLine),
            RuleKind.MissedInARow => breach.Kind == BreachKind.Missed && Concerns(breach.AgreementId) && MissedRun(breach, plan, bottomLine) >= Count,
            RuleKind.Concern => breach.Kind == BreachKind.Concern && breach.Severity >= MinSeverity,
            _ => false,
        };
    }

    private bool Concerns(Guid? agreementId) => AgreementId is null || agreementId == AgreementId;

    private static bool Counts(BottomLine bottomLine, DateTimeOffset date) => bottomLine.LastResolvedAt is not { } resolved || date > resolved;

    /// <summary>Whether <see cref="Count"/> of the breaches that count, this one among them, lie less than <see cref="Within"/> apart.</summary>
    private bool HasWindowOfCount(BreachRecorded breach, Plan plan, BottomLine bottomLine)
    {
        var dates = plan.Breaches.Where(b => Concerns(b.AgreementId) && Counts(bottomLine, b.Date)).Select(b => b.Date.UtcTicks)
            .Append(breach.Date.UtcTicks).Order().ToList();
        var count = Count!.Value;
        for (var first = 0; first + count - 1 < dates.Count; first++)
            if (dates[first + count - 1] - dates[first] < Within!.Value.Ticks) return true;
        return false;
    }

    /// <summary>
    /// The run of missed occurrences, by occurrence time, that this missed check-in belongs to: a reported occurrence ends
    /// a run, and so does a miss dated at or before the last resolution. Occurrences nobody reported on yet (still open)
    /// neither count nor end it. Of occurrences at the same moment (two agreements at 15:00) the reported ones come first,
    /// so the same facts give the same run whichever agreement was made first.
    /// </summary>
    private int MissedRun(BreachRecorded breach, Plan plan, BottomLine bottomLine)
    {
        if (breach.Occurrence is not { } missed) return 1;
        var occurrences = plan.Agreements.Where(a => AgreementId is null || a.Id == AgreementId)
            .SelectMany(a => a.Occurrences.Where(o => a.Id != breach.AgreementId || o.Occurrence != missed)
                .Select(o => (o.Occurrence, Counts: o.Missed && Counts(bottomLine, o.Occurrence + a.Grace), New: false)))
            .Append((Occurrence: missed, Counts: true, New: true))
            .OrderBy(o => o.Occurrence.UtcTicks).ThenBy(o => o.Counts) // at one moment a report comes before a miss: it cannot hide it
            .ToList();
        var at = occurrences.FindIndex(o => o.New);
        var run = 1;
        for (var i = at - 1; i >= 0 && occurrences[i].Counts; i--) run++;
        for (var i = at + 1; i < occurrences.Count && occurrences[i].Counts; i++) run++;
        return run;
    }
}
