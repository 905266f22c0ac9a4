using System.Xml;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;

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
            _ => Kind.ToString(),
        };
    }

    /// <summary>A period as people say it: whole days in days, whole hours in hours, anything else as ISO 8601.</summary>
    private static string Span(TimeSpan span, bool nl) => span switch
    {
        { Ticks: > 0 } when span.Ticks % TimeSpan.TicksPerDay == 0 => $"{span.Days} {(nl ? (span.Days == 1 ? "dag" : "dagen") : (span.Days == 1 ? "day" : "days"))}",
        { Ticks: > 0 } when span.Ticks % TimeSpan.TicksPerHour == 0 => $"{(int)span.TotalHours} {(nl ? "uur" : (span.TotalHours == 1 ? "hour" : "hours"))}",
        _ => XmlConvert.ToString(span),
    };

    /// <summary>Does this breach, recorded now, make the rule true? Rules that need time to pass are judged by the scheduler.</summary>
    public bool IsCrossedBy(BreachRecorded breach, Plan plan, BottomLine bottomLine) => Kind switch
    {
        RuleKind.AnyBreach => breach.AgreementId == AgreementId,
        RuleKind.Breaches => Concerns(breach) && CountRecentBreaches(breach, plan, bottomLine) + 1 >= Count,
        RuleKind.MissedInARow => breach.Kind == BreachKind.Missed && Concerns(breach)
                                 && plan.MissedInARow(AgreementId) + 1 >= Count,
        RuleKind.Concern => breach.Kind == BreachKind.Concern && breach.Severity >= MinSeverity,
        _ => false,
    };

    private bool Concerns(BreachRecorded breach) => AgreementId is null || breach.AgreementId == AgreementId;

    // Counting starts afresh after the previous crossing was resolved, so one run of breaches raises one escalation.
    private int CountRecentBreaches(BreachRecorded breach, Plan plan, BottomLine bottomLine)
    {
        var since = breach.At.Minus(Within!.Value); // saturates: a window stored before its bound existed (P800000D) must not throw
        if (bottomLine.LastResolvedAt is { } resolved && resolved > since) since = resolved;
        return plan.Breaches.Count(b => b.At > since && Concerns(b));
    }
}
