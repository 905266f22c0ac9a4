namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Escalations to the professionals, and their climb to the backup when nobody acknowledges in time.
// docs/events.md, "Breaches, bottom lines and escalations" and "Time passing".

public sealed record EscalationRaised(
    Guid EscalationId, Guid BottomLineId, string PlanTitle, string BottomLineText, string Reason,
    string MonitorId, string? BackupId, DateTimeOffset AcknowledgeBy, DateTimeOffset At) : IPlanEvent;

public sealed record EscalationAcknowledged(Guid EscalationId, string By, string? Note, DateTimeOffset At) : IPlanEvent;

public sealed record EscalationResolved(Guid EscalationId, string By, string Note, DateTimeOffset At) : IPlanEvent;

/// <summary>Nobody acknowledged the escalation in time: it goes to the backup (or, with no backup, again to the monitor).</summary>
public sealed record EscalationPassedToBackup(Guid EscalationId, string RecipientId, DateTimeOffset At) : IPlanEvent;

/// <summary>
/// The backup did not acknowledge either, within the bottom line's <c>acknowledgeWithin</c> after the step to the backup:
/// the escalation goes to the organisation's duty professional (crisisdienst; <c>Organisation.DutyUserId</c> at that
/// moment), the ladder's last step. <paramref name="DutyId"/> is null when the organisation names no duty professional:
/// the step is recorded all the same (so it is taken once), and the escalation stays with monitor and backup.
/// </summary>
public sealed record EscalationPassedToDuty(Guid EscalationId, string? DutyId, DateTimeOffset At) : IPlanEvent;
