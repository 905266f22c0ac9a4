using SafetyPlan.Decisions;
using SafetyPlan.Plans;

namespace SafetyPlan.BottomLines;

/// <summary>What follows from a breach: every bottom line it crosses, and one escalation per crossing.</summary>
public static class BottomLineCrossings
{
    public static IEnumerable<object> Follow(Plan plan, BreachRecorded breach)
    {
        if (plan.State != PlanState.Active) yield break;

        foreach (var bottomLine in plan.ActiveBottomLines.Where(b => !b.IsCrossed))
        {
            if (!bottomLine.Rule.IsCrossedBy(breach, plan, bottomLine)) continue;

            var reason = $"{bottomLine.Rule.Describe()} ({Describe(breach)})";
            yield return new BottomLineCrossed(bottomLine.Id, breach.BreachId, reason, breach.At);
            yield return new EscalationRaised(
                DerivedId.From(breach.BreachId, bottomLine.Id, "escalation"), bottomLine.Id, plan.Title, bottomLine.Text, reason,
                plan.MonitorId, plan.BackupId, breach.At + bottomLine.AcknowledgeWithin, breach.At);
        }
    }

    private static string Describe(BreachRecorded breach) => breach.Kind switch
    {
        BreachKind.NotKept => "an agreement was not kept",
        BreachKind.Missed => "a check-in was missed",
        _ => $"a concern of severity {breach.Severity?.ToString().ToLowerInvariant()} was raised",
    };
}
