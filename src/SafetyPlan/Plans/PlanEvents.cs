namespace SafetyPlan.Plans;

// Every event of a plan's stream. Each carries `At`, the moment it happened on SafetyPlan's clock (the injected
// TimeProvider), so that replay and status are exact under the manual clock too; Marten's own timestamp records when
// the row was written. Who caused an event is Marten metadata (user name and headers), not part of the event.
// docs/events.md describes every field.
//
// Each feature keeps its events in its own folder (Agreements/AgreementEvents.cs, Reports/ReportEvents.cs, ...); this
// file holds the plan's lifecycle and network. Every plan event stays in the namespace SafetyPlan.Plans: Marten
// stores the .NET type name with each event (mt_events.mt_dotnet_type) besides its event type name (the type name in
// snake_case), so moving an event to another namespace would change what is stored for it.

/// <summary>Every event of a plan's stream knows when it happened on SafetyPlan's clock.</summary>
public interface IPlanEvent
{
    DateTimeOffset At { get; }
}

public enum PlanState { Draft, Active, Closed }
public enum MemberRole { Parent, Child, Network, Professional }

/// <summary>Every type of event a plan's stream holds: the types implementing <see cref="IPlanEvent"/> (found once, by reflection).</summary>
public static class PlanEvents
{
    /// <summary>
    /// The plan event types, ordered by name. Marten's projection takes exactly these (<see cref="PlanProjection"/>), and
    /// the event checklist test (<c>when_an_event_is_added</c>) checks each has its case, description, masking and docs line.
    /// </summary>
    public static IReadOnlyList<Type> Types { get; } = typeof(IPlanEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPlanEvent).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
}

/// <param name="EvaluationReminderDays">days before each evaluation that the monitor and the members of the network are reminded; null means 7 and 1</param>
public sealed record PlanDrafted(
    Guid PlanId, string Title, string Family, string MonitorId, string? BackupId, string TimeZone, DateTimeOffset At,
    IReadOnlyList<int>? EvaluationReminderDays = null, string? TeamId = null) : IPlanEvent;

/// <param name="Language">the language messages to the member are in, <c>nl</c> or <c>en</c>; null (older events): nl</param>
/// <param name="Reminders">whether the member is reminded before their agreements' occurrences; null (older events): true</param>
public sealed record MemberAdded(Guid MemberId, string Name, MemberRole Role, string? Email, string? Phone, DateTimeOffset At,
    string? Language = null, bool? Reminders = null) : IPlanEvent;

/// <summary>The member turned reminders before their agreements off or on (themselves, or a professional for them).</summary>
public sealed record MemberRemindersSet(Guid MemberId, bool Reminders, DateTimeOffset At) : IPlanEvent;

public sealed record MemberRemoved(Guid MemberId, string Reason, DateTimeOffset At) : IPlanEvent;

public sealed record SafetyGoalSet(Guid GoalId, string Danger, string Goal, DateTimeOffset At) : IPlanEvent;

public sealed record PlanAgreed(DateOnly EvaluationDue, DateTimeOffset At) : IPlanEvent;
