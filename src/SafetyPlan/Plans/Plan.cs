using SafetyPlan.Scheduling;

namespace SafetyPlan.Plans;

/// <summary>
/// A safety plan as its events make it: the write model every decision reads, and (as Marten's inline snapshot) the
/// document the status and list views are computed from. It holds facts only; anything that depends on the moment
/// asked (status colour, due occurrences) is computed by <see cref="PlanStatusView"/>.
/// <para>
/// One stream and one aggregate per plan (the consistency boundary), split by feature: this file holds the plan's
/// lifecycle, its network and goals, and <see cref="Evolve"/>, the one place an event changes a plan; each feature
/// folder holds its own events and its part of the plan (<c>Agreements/Plan.Agreements.cs</c>,
/// <c>BottomLines/</c>, <c>Reports/</c>, <c>Escalations/</c>, <c>Evaluations/</c>, <c>Notifications/</c>,
/// <c>PersonalLinks/</c>, <c>Privacy/</c>). docs/events.md, "To add an event", lists what a new event needs.
/// </para>
/// </summary>
public sealed partial class Plan
{
    public Guid Id { get; set; }
    /// <summary>
    /// The organisation (Marten tenant) the plan belongs to: the document's <c>tenant_id</c> column, which Marten fills in
    /// when it reads the plan and which queries such as the sweep's select across organisations read. Never stored in the
    /// document's JSON: a plan built from its events (a new stream, a rebuild) has none, a plan read back has it, and the
    /// document must not depend on which of them was stored last.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? TenantId { get; set; }
    /// <summary>The stream version of the last event applied (set by Marten).</summary>
    public int Version { get; set; }
    /// <summary>
    /// The chain's head (Audit/HashChain): the <c>hash</c> of the event at <see cref="ChainHeadVersion"/>, kept here so that
    /// an append links to it without reading the stream. Null on documents stored before it was kept (see PlanProjection).
    /// </summary>
    public string? ChainHead { get; set; }
    public long? ChainHeadVersion { get; set; }
    public string Title { get; set; } = "";
    public string Family { get; set; } = "";
    public string MonitorId { get; set; } = "";
    public string? BackupId { get; set; }
    /// <summary>The team whose professionals may act on the plan besides its monitor and backup.</summary>
    public string? TeamId { get; set; }
    /// <summary>The plan's IANA time zone: wall-clock times of schedules and reminders are in it.</summary>
    public string TimeZone { get; set; } = "Europe/Amsterdam";
    public PlanState State { get; set; }
    public DateTimeOffset DraftedAt { get; set; }
    public DateTimeOffset? AgreedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>
    /// The earliest moment at which the sweep has work for this plan (indexed: the sweep reads only plans that are due).
    /// Computed when asked (Marten asks once, when it stores the document), not after every event: that made replaying
    /// a long history quadratic (README, Performance).
    /// </summary>
    public DateTimeOffset? NextDeadlineAt => Deadlines.Upcoming(this).Select(d => (DateTimeOffset?)d.DueAt).Min();
    public List<Member> Members { get; set; } = [];
    public List<Goal> Goals { get; set; } = [];

    /// <summary>The plan's time zone (<see cref="TimeZone"/>); throws <see cref="TimeZoneNotFoundException"/> for an unknown id.</summary>
    public TimeZoneInfo Zone()
    {
        // Looked up once per plan instance: applying a long history asks for the zone on every check-in.
        if (zone is not { } cached || cached.Id != TimeZone) zone = (TimeZone, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        return zone.Value.Zone;
    }

    private (string Id, TimeZoneInfo Zone)? zone;

    /// <summary>The member with this id, unless they were removed from the network.</summary>
    public Member? ActiveMember(Guid id) => Members.FirstOrDefault(m => m.Id == id && m.RemovedAt is null);

    /// <summary>
    /// Applies one event of a plan's stream to <paramref name="plan"/> and returns it: the only way an event changes a
    /// plan, used by Marten's projection (<see cref="PlanProjection"/>), the sweep and the tests alike.
    /// </summary>
    /// <exception cref="UnknownPlanEventException">the event is of a type no case handles (a new event without its case here)</exception>
    [JasperFx.Core.JasperFxIgnore] // Marten calls it through PlanProjection.Evolve, never by its own conventions
    public static Plan Evolve(Plan plan, object @event)
    {
        switch (@event)
        {
            // The plan and its network (this file)
            case PlanDrafted e: plan.When(e); break;
            case MemberAdded e: plan.When(e); break;
            case MemberRemoved e: plan.When(e); break;
            case MemberRemindersSet e: plan.When(e); break;
            case MemberPushSubscribed e: plan.When(e); break;
            case MemberPushEnded e: plan.When(e); break;
            case SafetyGoalSet e: plan.When(e); break;
            case PlanAgreed e: plan.When(e); break;
            // Agreements/
            case AgreementMade e: plan.When(e); break;
            case AgreementWithdrawn e: plan.When(e); break;
            // Reports/
            case CheckInLogged e: plan.When(e); break;
            case CheckInMissed e: plan.When(e); break;
            case ConcernRaised e: plan.When(e); break;
            case SafetyRated e: plan.When(e); break;
            // BottomLines/
            case BottomLineSet e: plan.When(e); break;
            case BottomLineRemoved e: plan.When(e); break;
            case BreachRecorded e: plan.When(e); break;
            case BottomLineCrossed e: plan.When(e); break;
            // Escalations/
            case EscalationRaised e: plan.When(e); break;
            case EscalationAcknowledged e: plan.When(e); break;
            case EscalationResolved e: plan.When(e); break;
            case EscalationPassedToBackup e: plan.When(e); break;
            case EscalationPassedToDuty e: plan.When(e); break;
            // Evaluations/
            case EvaluationRecorded e: plan.When(e); break;
            case EvaluationReminderDue e: plan.When(e); break;
            case EvaluationOverdue e: plan.When(e); break;
            // Notifications/
            case NotificationQueued e: plan.When(e); break;
            case NotificationSent e: plan.When(e); break;
            case NotificationFailed e: plan.When(e); break;
            case NotificationSkipped e: plan.When(e); break;
            case NotificationAbandoned e: plan.When(e); break;
            // PersonalLinks/
            case PersonalLinkIssued e: plan.When(e); break;
            case PersonalLinkRevoked e: plan.When(e); break;
            case PersonalLinkUsed e: plan.When(e); break;
            // Privacy/
            case PersonalDataMasked e: plan.When(e); break;
            // Handover/
            case MonitoringHandedOver e: plan.When(e); break;
            // Conference/
            case ReferralRecorded e: plan.When(e); break;
            case ConferenceSessionHeld e: plan.When(e); break;
            case ConferenceOverdue e: plan.When(e); break;
            // CaseAudits/
            case CaseAuditOpened e: plan.When(e); break;
            case CaseAuditWritten e: plan.When(e); break;
            case CaseAuditSigned e: plan.When(e); break;
            default: throw new UnknownPlanEventException(@event.GetType());
        }
        return plan;
    }

    /// <summary>
    /// A deep copy: the same facts, sharing nothing that can change, so that a decision can apply its own events to it
    /// without touching the plan it was given (Marten applies the appended events to that instance itself).
    /// Every list and every mutable part is copied; immutable records (events kept as they are, schedules, rules) are shared.
    /// </summary>
    public Plan Copy()
    {
        var copy = (Plan)MemberwiseClone();
        copy.Members = Members.Select(m => m.Copy()).ToList();
        copy.Goals = Goals.Select(g => g.Copy()).ToList();
        CopyAgreementsTo(copy);
        CopyReportsTo(copy);
        CopyBottomLinesTo(copy);
        CopyEscalationsTo(copy);
        CopyEvaluationsTo(copy);
        CopyNotificationsTo(copy);
        CopyPersonalLinksTo(copy);
        CopyHandoversTo(copy);
        CopyConferenceTo(copy);
        CopyCaseAuditsTo(copy);
        return copy;
    }

    private void When(PlanDrafted e)
    {
        Id = e.PlanId;
        Title = e.Title;
        Family = e.Family;
        MonitorId = e.MonitorId;
        BackupId = e.BackupId;
        TeamId = e.TeamId;
        TimeZone = e.TimeZone;
        State = PlanState.Draft;
        DraftedAt = e.At;
        if (e.EvaluationReminderDays is { } days) EvaluationReminderDays = days.ToList();
    }

    private void When(MemberAdded e) => Members.Add(new Member
    {
        Id = e.MemberId, Name = e.Name, Role = e.Role, Email = e.Email, Phone = e.Phone, AddedAt = e.At,
        Language = e.Language ?? Member.DefaultLanguage, RemindersOff = e.Reminders == false,
    });

    private void When(MemberRemindersSet e) => Members.First(m => m.Id == e.MemberId).RemindersOff = !e.Reminders;

    private void When(MemberRemoved e) => Members.First(m => m.Id == e.MemberId).RemovedAt = e.At;

    private void When(SafetyGoalSet e) => Goals.Add(new Goal { Id = e.GoalId, Danger = e.Danger, Text = e.Goal });

    private void When(PlanAgreed e)
    {
        State = PlanState.Active;
        AgreedAt = e.At;
        EvaluationDue = e.EvaluationDue;
        EvaluationDueSetAt = e.At;
    }
}

/// <summary>
/// An event reached <see cref="Plan.Evolve"/> that no case handles: a new plan event was added without its case (see
/// docs/events.md, "To add an event"), or something that is not a plan event was appended to a plan's stream.
/// </summary>
public sealed class UnknownPlanEventException(Type eventType)
    : InvalidOperationException($"{eventType.FullName} is not an event Plan.Evolve knows: give it a case there (docs/events.md, \"To add an event\").")
{
    /// <summary>The type of the event that has no case.</summary>
    public Type EventType { get; } = eventType;
}

/// <summary>A person in the plan's safety network (<see cref="MemberAdded"/>); signs in as <c>member:&lt;Id&gt;</c>.</summary>
public sealed class Member
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public MemberRole Role { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    /// <summary>The language of messages to the member, <c>nl</c> or <c>en</c>.</summary>
    public string Language { get; set; } = DefaultLanguage;
    /// <summary>The member turned reminders off (<see cref="MemberRemindersSet"/>); stored as "off" so that documents from before it read as on.</summary>
    public bool RemindersOff { get; set; }
    /// <summary>The member's current Web Push subscriptions by their hash (<see cref="MemberPushSubscribed"/>); replaced, never changed in place.</summary>
    public string[] PushSubscriptions { get; set; } = [];
    /// <summary>The push service's answer (<c>http-410</c>) when it last said a subscription of the member is gone; null when none ever was.</summary>
    public string? PushGone { get; set; }
    /// <summary>The failure code (<c>smtp-550</c>) of the last e-mail to the member when it was refused for good; cleared by an e-mail that arrived.</summary>
    public string? EmailRefused { get; set; }

    public const string DefaultLanguage = "nl";

    internal Member Copy()
    {
        var copy = (Member)MemberwiseClone();
        copy.PushSubscriptions = [.. PushSubscriptions];
        return copy;
    }
}

/// <summary>A danger statement and the safety goal that answers it (<see cref="SafetyGoalSet"/>).</summary>
public sealed class Goal
{
    public Guid Id { get; set; }
    public string Danger { get; set; } = "";
    public string Text { get; set; } = "";

    internal Goal Copy() => (Goal)MemberwiseClone();
}
