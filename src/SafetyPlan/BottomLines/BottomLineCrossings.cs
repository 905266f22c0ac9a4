using SafetyPlan.Notifications;

namespace SafetyPlan.BottomLines;

/// <summary>What follows from a breach: every bottom line it crosses, and one escalation per crossing.</summary>
public static class BottomLineCrossings
{
    /// <summary>
    /// The crossings <paramref name="breach"/> causes on the bottom lines that are not crossed now (one escalation each),
    /// judged on the breach's date (<see cref="BottomLineRule.IsCrossedBy"/>); <paramref name="plan"/> does not hold the
    /// breach yet. Only on an active plan.
    /// </summary>
    /// <param name="now">when the crossing is recorded and the escalation raised; its acknowledge deadline counts from here</param>
    public static IEnumerable<object> Follow(Plan plan, BreachRecorded breach, DateTimeOffset now)
    {
        if (plan.State != PlanState.Active) yield break;

        foreach (var bottomLine in plan.ActiveBottomLines.Where(b => !b.IsCrossed))
        {
            if (!bottomLine.Rule.IsCrossedBy(breach, plan, bottomLine)) continue;

            var reason = $"{bottomLine.Rule.Describe()} ({Describe(breach)})";
            foreach (var e in Cross(plan, bottomLine, breach.BreachId, DerivedId.From(breach.BreachId, bottomLine.Id, "escalation"), reason, breach.Date, now))
                yield return e;
        }
    }

    /// <summary>
    /// A crossing dated when the rule became true (<paramref name="occurredAt"/>), its one escalation to the monitoring
    /// professional, raised <paramref name="now"/> with <c>acknowledgeBy = now + acknowledgeWithin</c> (the monitor can
    /// only act from the moment they are told), and the notification of it.
    /// </summary>
    public static IEnumerable<object> Cross(Plan plan, BottomLine bottomLine, Guid? breachId, Guid escalationId, string reason,
        DateTimeOffset occurredAt, DateTimeOffset now)
    {
        yield return new BottomLineCrossed(bottomLine.Id, breachId, reason, now, occurredAt);
        yield return new EscalationRaised(escalationId, bottomLine.Id, plan.Title, bottomLine.Text, reason,
            plan.MonitorId, plan.BackupId, now + bottomLine.AcknowledgeWithin, now);
        foreach (var notification in Notify.ProfessionalAndOrganisation(NotificationSubject.EscalationRaised, escalationId.ToString(), plan.MonitorId, now))
            yield return notification;
    }

    private static string Describe(BreachRecorded breach) => breach.Kind switch
    {
        BreachKind.NotKept => "an agreement was not kept",
        BreachKind.Missed => "a check-in was missed",
        _ => $"a concern of severity {breach.Severity?.ToString().ToLowerInvariant()} was raised",
    };
}
