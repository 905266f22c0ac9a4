namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Bottom lines, the breaches they judge and their crossings. docs/events.md, "Breaches, bottom lines and escalations".

public enum BreachKind { NotKept, Concern, Missed }

public sealed record BottomLineSet(Guid BottomLineId, string Text, BottomLines.BottomLineRule Rule, TimeSpan AcknowledgeWithin, DateTimeOffset At) : IPlanEvent;

public sealed record BottomLineRemoved(Guid BottomLineId, string Reason, DateTimeOffset At) : IPlanEvent;

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
