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

/// <summary>
/// The plan's referral (aanmelding), appended with <see cref="PlanDrafted"/>: who referred (<paramref name="By"/>, an
/// organisation such as Veilig Thuis, or a person), the day it was received (<paramref name="ReceivedOn"/>, in the
/// plan's zone) and the days within which the first conference session must be held. <paramref name="ConferenceDue"/>
/// is <c>ReceivedOn + ConferenceWithinDays</c>: a session held on that day is on time, from the start of the next day
/// in the plan's zone the conference is overdue.
/// </summary>
public sealed record ReferralRecorded(string By, DateOnly ReceivedOn, int ConferenceWithinDays, DateOnly ConferenceDue, DateTimeOffset At) : IPlanEvent;

/// <summary>
/// The referral's conference deadline passed without a session held (appended by the deadline sweep, once): the plan
/// is amber while no session is held and the monitor is told.
/// </summary>
public sealed record ConferenceOverdue(DateOnly ConferenceDue, DateTimeOffset At) : IPlanEvent;
