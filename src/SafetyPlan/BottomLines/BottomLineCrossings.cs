using SafetyPlan.Decisions;
using SafetyPlan.Notifications;
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
            foreach (var e in Cross(plan, bottomLine, breach.BreachId, DerivedId.From(breach.BreachId, bottomLine.Id, "escalation"), reason, breach.At))
                yield return e;
        }
    }

    /// <summary>A crossing, its one escalation to the monitoring professional, and the notification of it.</summary>
    public static IEnumerable<object> Cross(Plan plan, BottomLine bottomLine, Guid? breachId, Guid escalationId, string reason, DateTimeOffset at)
    {
        yield return new BottomLineCrossed(bottomLine.Id, breachId, reason, at);
        yield return new EscalationRaised(escalationId, bottomLine.Id, plan.Title, bottomLine.Text, reason,
            plan.MonitorId, plan.BackupId, at + bottomLine.AcknowledgeWithin, at);
        foreach (var notification in Notify.ProfessionalAndOrganisation(NotificationSubject.EscalationRaised, escalationId.ToString(), plan.MonitorId, at))
            yield return notification;
    }

    private static string Describe(BreachRecorded breach) => breach.Kind switch
    {
        BreachKind.NotKept => "an agreement was not kept",
        BreachKind.Missed => "a check-in was missed",
        _ => $"a concern of severity {breach.Severity?.ToString().ToLowerInvariant()} was raised",
    };
}
