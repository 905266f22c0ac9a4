namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// The agreements of a plan: who does what, and when. docs/events.md, "The plan and its network".

/// <param name="Reporters">members besides the responsible one who may report on it (the teacher who sees the children arrive); null: none</param>
/// <param name="ReportFrom">how long before an occurrence its report window opens; null: <see cref="Agreements.ReportWindow.DefaultReportFrom"/></param>
/// <param name="RemindBefore">how long before an occurrence the responsible member is reminded; null: the default</param>
/// <param name="Watchers">members told when an occurrence is missed or not kept; null: none</param>
public sealed record AgreementMade(
    Guid AgreementId, string Text, Guid ResponsibleMemberId, Guid? GoalId, Agreements.Schedule Schedule, TimeSpan Grace,
    DateTimeOffset At, IReadOnlyList<Guid>? Reporters = null, TimeSpan? ReportFrom = null, TimeSpan? RemindBefore = null,
    IReadOnlyList<Guid>? Watchers = null) : IPlanEvent;

public sealed record AgreementWithdrawn(Guid AgreementId, string Reason, DateTimeOffset At) : IPlanEvent;
