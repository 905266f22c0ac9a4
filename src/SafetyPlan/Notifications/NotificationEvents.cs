namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Notifications: an outbox in the plan's own stream. Queued in the same transaction as the event they are about;
// delivered afterwards; every attempt's outcome is an event, and the key makes delivery idempotent.

/// <summary>
/// What a notification is about. <c>CheckInReminder</c>: to an agreement's responsible member before an occurrence
/// (reference <c>{agreementId}/{occurrence}</c>); <c>AgreementSlipped</c>: to its watchers when an occurrence was missed
/// or reported not kept (the same reference). <c>MonitoringHandedOver</c>: to the new monitor, the new backup and the
/// network when monitoring is handed over (reference <c>handover/{at}</c>, Handover/HandOverMonitoring.cs).
/// </summary>
public enum NotificationSubject
{
    EscalationRaised, EscalationPassedToBackup, EvaluationReminder, EvaluationOverdue, CheckInReminder, AgreementSlipped, EscalationPassedToDuty,
    MonitoringHandedOver, ConferenceOverdue,
}

/// <summary>E-mail and Web Push go to a person (Notifications/Notify.cs queues both), the webhook to the organisation.</summary>
public enum NotificationChannel { Email, Webhook, Push }

/// <param name="Key">(subject, reference, recipient, channel): one delivery within the plan, ever (Notifications/Notify.Key)</param>
/// <param name="Reference">the escalation id, the evaluation due date (and days before, for a reminder), or <c>{agreementId}/{occurrence}</c> (Notify.OccurrenceReference)</param>
public sealed record NotificationQueued(
    string Key, NotificationSubject Subject, string Reference, string? RecipientUserId, Guid? RecipientMemberId,
    NotificationChannel Channel, DateTimeOffset At) : IPlanEvent;

public sealed record NotificationSent(string Key, string Address, DateTimeOffset At) : IPlanEvent;

public sealed record NotificationFailed(string Key, int Attempt, string Error, DateTimeOffset NextAttemptAt, DateTimeOffset At) : IPlanEvent;

/// <summary>Cannot be delivered on this channel (no address known, or e-mail not configured), or must not be (its recipient left the network); the in-app inbox still has it.</summary>
public sealed record NotificationSkipped(string Key, string Reason, DateTimeOffset At) : IPlanEvent;

public enum AbandonReason { Refused, RetriesExhausted }

/// <summary>
/// The delivery ended without arriving and is never tried again: the receiver refused it for good, or it kept failing
/// until Notifications/DeliveryPolicy.RetryFor after it was queued. The in-app inbox still has it.
/// </summary>
/// <param name="Failure">the last failure as a code that holds no personal data: smtp-550, http-410, smtp-451, timeout, connection, …</param>
/// <param name="Attempts">how many attempts were made, the last one included</param>
public sealed record NotificationAbandoned(string Key, AbandonReason Reason, string Failure, int Attempts, DateTimeOffset At) : IPlanEvent;
