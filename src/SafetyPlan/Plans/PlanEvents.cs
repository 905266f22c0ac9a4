namespace SafetyPlan.Plans;

// Every event of a plan's stream. Each carries `At`, the moment it happened on SafetyPlan's clock (the injected
// TimeProvider), so that replay and status are exact under the manual clock too; Marten's own timestamp records when
// the row was written. Who caused an event is Marten metadata (user name and headers), not part of the event.
// docs/events.md describes every field.

/// <summary>Every event of a plan's stream knows when it happened on SafetyPlan's clock.</summary>
public interface IPlanEvent
{
    DateTimeOffset At { get; }
}

public enum PlanState { Draft, Active, Closed }
public enum MemberRole { Parent, Child, Network, Professional }
public enum CheckInOutcome { Kept, Partly, NotKept }
public enum Severity { Low, Medium, High }
public enum EvaluationOutcome { Continue, Adjust, Close, Escalate }
public enum BreachKind { NotKept, Concern, Missed }

/// <param name="EvaluationReminderDays">days before each evaluation that the monitor (and members with e-mail) are reminded; null means 7 and 1</param>
public sealed record PlanDrafted(
    Guid PlanId, string Title, string Family, string MonitorId, string? BackupId, string TimeZone, DateTimeOffset At,
    IReadOnlyList<int>? EvaluationReminderDays = null, string? TeamId = null) : IPlanEvent;

public sealed record MemberAdded(Guid MemberId, string Name, MemberRole Role, string? Email, string? Phone, DateTimeOffset At) : IPlanEvent;

public sealed record MemberRemoved(Guid MemberId, string Reason, DateTimeOffset At) : IPlanEvent;

public sealed record SafetyGoalSet(Guid GoalId, string Danger, string Goal, DateTimeOffset At) : IPlanEvent;

/// <param name="Reporters">members besides the responsible one who may report on it (the teacher who sees the children arrive); null: none</param>
/// <param name="ReportFrom">how long before an occurrence its report window opens; null: <see cref="Agreements.ReportWindow.DefaultReportFrom"/></param>
/// <param name="RemindBefore">how long before an occurrence the responsible member is reminded; null: the default</param>
/// <param name="Watchers">members told when an occurrence is missed or not kept; null: none</param>
public sealed record AgreementMade(
    Guid AgreementId, string Text, Guid ResponsibleMemberId, Guid? GoalId, Agreements.Schedule Schedule, TimeSpan Grace,
    DateTimeOffset At, IReadOnlyList<Guid>? Reporters = null, TimeSpan? ReportFrom = null, TimeSpan? RemindBefore = null,
    IReadOnlyList<Guid>? Watchers = null) : IPlanEvent;

public sealed record AgreementWithdrawn(Guid AgreementId, string Reason, DateTimeOffset At) : IPlanEvent;

public sealed record BottomLineSet(Guid BottomLineId, string Text, BottomLines.BottomLineRule Rule, TimeSpan AcknowledgeWithin, DateTimeOffset At) : IPlanEvent;

public sealed record BottomLineRemoved(Guid BottomLineId, string Reason, DateTimeOffset At) : IPlanEvent;

public sealed record PlanAgreed(DateOnly EvaluationDue, DateTimeOffset At) : IPlanEvent;

/// <param name="Late">
/// made after the occurrence's report window closed (docs/events.md, "Reports and their windows"): recorded and listed,
/// but it never erases the missed check-in or its breach
/// </param>
/// <param name="Correction">
/// a late report by a professional, with the reason in <paramref name="Note"/>: it replaces the outcome of an occurrence
/// that was reported (a missed occurrence stays missed), and a not-kept correction is a breach of its own
/// </param>
public sealed record CheckInLogged(
    Guid CheckInId, string ClientId, Guid AgreementId, Guid MemberId, CheckInOutcome Outcome, string? Note,
    DateTimeOffset Occurrence, DateTimeOffset At, bool Late = false, bool Correction = false) : IPlanEvent;

public sealed record ConcernRaised(Guid ConcernId, string ClientId, Guid MemberId, string Text, Severity Severity, DateTimeOffset At) : IPlanEvent;

public sealed record SafetyRated(Guid RatingId, string ClientId, Guid MemberId, int Score, string? Note, DateTimeOffset At) : IPlanEvent;

/// <summary>A not-kept check-in, a concern or a missed check-in, named by the report it came from.</summary>
/// <param name="OccurredAt">
/// when the breach happened, which the bottom lines judge (domain.md, "Breaches are dated when they happened"): a not-kept
/// report at its occurrence, a missed check-in at the end of its grace period, a concern when it was raised. <c>At</c> is
/// when it was recorded. Null in events stored before 2026-11-29: then <c>At</c>.
/// </param>
/// <param name="Occurrence">for a not-kept or missed check-in: the occurrence it is about (at most one breach per occurrence); null for a concern and in older events</param>
public sealed record BreachRecorded(
    Guid BreachId, BreachKind Kind, Guid? AgreementId, Guid SourceId, Severity? Severity, DateTimeOffset At,
    DateTimeOffset? OccurredAt = null, DateTimeOffset? Occurrence = null) : IPlanEvent
{
    /// <summary>The moment the rules judge this breach at.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset Date => OccurredAt ?? At;
}

/// <summary>A bottom line's rule became true: by a breach, or (silence) by time passing with no breach at all.</summary>
/// <param name="OccurredAt">when the rule became true (the crossing breach's date, or the end of the silence); null in older events: <c>At</c></param>
public sealed record BottomLineCrossed(Guid BottomLineId, Guid? BreachId, string Reason, DateTimeOffset At, DateTimeOffset? OccurredAt = null) : IPlanEvent;

public sealed record EscalationRaised(
    Guid EscalationId, Guid BottomLineId, string PlanTitle, string BottomLineText, string Reason,
    string MonitorId, string? BackupId, DateTimeOffset AcknowledgeBy, DateTimeOffset At) : IPlanEvent;

public sealed record EscalationAcknowledged(Guid EscalationId, string By, string? Note, DateTimeOffset At) : IPlanEvent;

public sealed record EscalationResolved(Guid EscalationId, string By, string Note, DateTimeOffset At) : IPlanEvent;

public sealed record EvaluationRecorded(
    Guid EvaluationId, EvaluationOutcome Outcome, string Notes, DateOnly? NextEvaluationDue, int Revision, DateTimeOffset At) : IPlanEvent;

// Time-driven events: appended by the deadline sweep (Scheduling/), through the same decisions as the commands.

/// <summary>An occurrence's grace period ended with no check-in.</summary>
public sealed record CheckInMissed(Guid AgreementId, DateTimeOffset Occurrence, DateTimeOffset DueBy, DateTimeOffset At) : IPlanEvent;

/// <summary>Nobody acknowledged the escalation in time: it goes to the backup (or, with no backup, again to the monitor).</summary>
public sealed record EscalationPassedToBackup(Guid EscalationId, string RecipientId, DateTimeOffset At) : IPlanEvent;

public sealed record EvaluationReminderDue(DateOnly EvaluationDue, int DaysBefore, DateTimeOffset At) : IPlanEvent;

/// <summary>The evaluation's due date passed without an evaluation: the plan is amber and the monitor is told.</summary>
public sealed record EvaluationOverdue(DateOnly EvaluationDue, DateTimeOffset At) : IPlanEvent;

// Notifications: an outbox in the plan's own stream. Queued in the same transaction as the event they are about;
// delivered afterwards; every attempt's outcome is an event, and the key makes delivery idempotent.

public enum NotificationSubject { EscalationRaised, EscalationPassedToBackup, EvaluationReminder, EvaluationOverdue }
public enum NotificationChannel { Email, Webhook }

/// <param name="Key">(subject, reference, recipient, channel): one delivery within the plan, ever (Notifications/Notify.Key)</param>
/// <param name="Reference">the escalation id, or the evaluation due date (and days before, for a reminder)</param>
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

// Privacy (Privacy/): appended once per plan, by the retention pass.

/// <summary>
/// The retention period after closing passed: personal data in events 1..<paramref name="MaskedUpToVersion"/> and in
/// the plan's documents was masked. The original hash chain was verified intact just before; its head and the head of
/// the chain over the masked content (header <c>hash.masked</c>) are kept here, so verification still works.
/// </summary>
/// <param name="Policy">the retention rule that applied, e.g. <c>Privacy:RetainAfterClose=P20Y</c></param>
public sealed record PersonalDataMasked(
    string Policy, DateTimeOffset ClosedAt, long MaskedUpToVersion, string OriginalChainHead, string MaskedChainHead,
    DateTimeOffset At) : IPlanEvent;

// Personal links: how a network member signs in (PersonalLinks/). The token itself is never stored in an event.

/// <summary>A professional gave a member a signed link that signs them in to this plan until it expires or is revoked.</summary>
public sealed record PersonalLinkIssued(Guid LinkId, Guid MemberId, string IssuedBy, DateTimeOffset ExpiresAt, DateTimeOffset At) : IPlanEvent;

public sealed record PersonalLinkRevoked(Guid LinkId, string By, string Reason, DateTimeOffset At) : IPlanEvent;

/// <summary>The member signed in with the link (once per sign-in: a repeat within a moment, such as a double click, is the same sign-in).</summary>
public sealed record PersonalLinkUsed(Guid LinkId, Guid MemberId, DateTimeOffset At) : IPlanEvent;
