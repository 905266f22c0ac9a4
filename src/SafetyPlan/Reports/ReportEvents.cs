namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Reports from the network, and the check-in time passing found missing (appended by the deadline sweep).
// docs/events.md, "Reports from the network" and "Time passing".

public enum CheckInOutcome { Kept, Partly, NotKept }

public enum Severity { Low, Medium, High }

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

/// <summary>An occurrence's grace period ended with no check-in.</summary>
public sealed record CheckInMissed(Guid AgreementId, DateTimeOffset Occurrence, DateTimeOffset DueBy, DateTimeOffset At) : IPlanEvent;
