namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// The network conference in sessions (../shared/domain.md, "The practice around the plan").
// docs/events.md, "The practice around the plan".

/// <summary>
/// One session of the network conference was held: on <paramref name="HeldOn"/> (a date in the plan's zone), with the
/// members of the network and the professionals (user ids) present, and what was agreed in <paramref name="Notes"/>.
/// A conference takes two or three sessions; the plan is agreed at the last.
/// </summary>
public sealed record ConferenceSessionHeld(
    Guid SessionId, DateOnly HeldOn, IReadOnlyList<Guid> MembersPresent, IReadOnlyList<string> ProfessionalsPresent,
    string Notes, DateTimeOffset At) : IPlanEvent;
