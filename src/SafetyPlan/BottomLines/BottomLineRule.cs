using System.Xml;
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
    public string Describe() => Kind switch
    {
        RuleKind.AnyBreach => "any breach of the agreement",
        RuleKind.Breaches => $"{Count} breaches{(AgreementId is null ? "" : " of the agreement")} within {XmlConvert.ToString(Within!.Value)}",
        RuleKind.MissedInARow => $"{Count} missed check-ins in a row{(AgreementId is null ? "" : " on the agreement")}",
        RuleKind.Silence => $"no check-in from anyone for {XmlConvert.ToString(For!.Value)}",
        RuleKind.Concern => $"a concern of severity {MinSeverity!.Value.ToString().ToLowerInvariant()} or higher",
        _ => Kind.ToString(),
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
        var since = breach.At - Within!.Value;
        if (bottomLine.LastResolvedAt is { } resolved && resolved > since) since = resolved;
        return plan.Breaches.Count(b => b.At > since && Concerns(b));
    }
}
