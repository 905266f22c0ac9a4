namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Personal links: how a network member signs in (PersonalLinks/). The token itself is never stored in an event.

/// <summary>A professional gave a member a signed link that signs them in to this plan until it expires or is revoked.</summary>
public sealed record PersonalLinkIssued(Guid LinkId, Guid MemberId, string IssuedBy, DateTimeOffset ExpiresAt, DateTimeOffset At) : IPlanEvent;

public sealed record PersonalLinkRevoked(Guid LinkId, string By, string Reason, DateTimeOffset At) : IPlanEvent;

/// <summary>The member signed in with the link (once per sign-in: a repeat within a moment, such as a double click, is the same sign-in).</summary>
public sealed record PersonalLinkUsed(Guid LinkId, Guid MemberId, DateTimeOffset At) : IPlanEvent;
