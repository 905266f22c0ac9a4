namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// The plan's evaluations, their reminders and their being overdue (the last two appended by the deadline sweep).

public enum EvaluationOutcome { Continue, Adjust, Close, Escalate }

public sealed record EvaluationRecorded(
    Guid EvaluationId, EvaluationOutcome Outcome, string Notes, DateOnly? NextEvaluationDue, int Revision, DateTimeOffset At) : IPlanEvent;

public sealed record EvaluationReminderDue(DateOnly EvaluationDue, int DaysBefore, DateTimeOffset At) : IPlanEvent;

/// <summary>The evaluation's due date passed without an evaluation: the plan is amber and the monitor is told.</summary>
public sealed record EvaluationOverdue(DateOnly EvaluationDue, DateTimeOffset At) : IPlanEvent;
