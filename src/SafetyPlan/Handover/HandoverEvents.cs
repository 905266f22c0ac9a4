namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Handover of monitoring (regiewissel; ../shared/domain.md, "The practice around the plan").
// docs/events.md, "The practice around the plan".

/// <summary>
/// Monitoring of the plan passed from <paramref name="FromMonitorId"/> to <paramref name="ToMonitorId"/> (user ids),
/// the backup from <paramref name="FromBackupId"/> to <paramref name="ToBackupId"/> (null: none), with the handover
/// note. Open escalations go to the new monitor and keep their deadlines; response times before this moment stay with
/// the professional who was monitor then.
/// </summary>
/// <param name="Escalations">
/// the plan's escalations that were open (not resolved) at <paramref name="At"/> and went along to the new monitor and
/// backup; named in the event so that the escalation inbox (a projection over escalation ids) moves exactly these.
/// Optional and last so that the shape fixed for the other parts of issue 16 stays readable; null reads as none.
/// </param>
public sealed record MonitoringHandedOver(
    string FromMonitorId, string? FromBackupId, string ToMonitorId, string? ToBackupId, string Note,
    DateTimeOffset At, IReadOnlyList<Guid>? Escalations = null) : IPlanEvent;
