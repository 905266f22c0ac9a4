namespace SafetyPlan.Handover;

/// <summary>One professional's time as the plan's monitor: from <paramref name="From"/> until <paramref name="To"/> (null: still).</summary>
/// <param name="UserId">the monitor's user id</param>
public sealed record MonitorPeriod(string UserId, DateTimeOffset From, DateTimeOffset? To);

/// <summary>Who monitored the plan when: the plan status's <c>monitors</c> (docs/events.md, "The practice around the plan").</summary>
public static class MonitorPeriods
{
    /// <summary>
    /// The plan's monitors in order, from its drafting: one period per monitor between handovers (a handover that only
    /// changes the backup does not end a period). Judged on the plan as given, so <c>?asOf=</c> and <c>?version=</c> show
    /// the monitors known then.
    /// </summary>
    public static IReadOnlyList<MonitorPeriod> Of(Plan plan)
    {
        var periods = new List<MonitorPeriod>();
        var (current, since) = (plan.Handovers.FirstOrDefault()?.FromMonitorId ?? plan.MonitorId, plan.DraftedAt);
        foreach (var handover in plan.Handovers.Where(h => h.ToMonitorId != h.FromMonitorId))
        {
            periods.Add(new MonitorPeriod(current, since, handover.At));
            (current, since) = (handover.ToMonitorId, handover.At);
        }
        periods.Add(new MonitorPeriod(current, since, null));
        return periods;
    }
}
