using Marten.Events;
using SafetyPlan.Escalations;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;

namespace SafetyPlan.Privacy;

/// <summary>
/// What "personal data" means in a plan, in one place: every free text (it can name people, places and events in
/// the family's life), names and contact details. Kept: ids, roles, outcomes, severities, scores, schedules, rules,
/// every time, and the professionals' user ids (monitor, backup, who acknowledged), so the structure of the history
/// and every compliance figure stay exactly as they were. docs/security.md, "Privacy and retention", lists the fields.
/// </summary>
public static class PersonalDataMasking
{
    /// <summary>What a masked text reads; language-neutral, and never a valid value for anyone's name or note.</summary>
    public const string Masked = "***";

    private static string? Optional(string? text) => text is null ? null : Masked;

    private static readonly IReadOnlyList<IRule> Rules =
    [
        new Rule<PlanDrafted>(e => e with { Title = Masked, Family = Masked }),
        new Rule<MemberAdded>(e => e with { Name = Masked, Email = null, Phone = null }),
        new Rule<MemberRemoved>(e => e with { Reason = Masked }),
        new Rule<SafetyGoalSet>(e => e with { Danger = Masked, Goal = Masked }),
        new Rule<AgreementMade>(e => e with { Text = Masked }),
        new Rule<AgreementWithdrawn>(e => e with { Reason = Masked }),
        new Rule<BottomLineSet>(e => e with { Text = Masked }),
        new Rule<BottomLineRemoved>(e => e with { Reason = Masked }),
        new Rule<CheckInLogged>(e => e with { Note = Optional(e.Note) }),
        new Rule<ConcernRaised>(e => e with { Text = Masked }),
        new Rule<SafetyRated>(e => e with { Note = Optional(e.Note) }),
        new Rule<EscalationRaised>(e => e with { PlanTitle = Masked, BottomLineText = Masked }),
        new Rule<EscalationAcknowledged>(e => e with { Note = Optional(e.Note) }),
        new Rule<EscalationResolved>(e => e with { Note = Masked }),
        new Rule<EvaluationRecorded>(e => e with { Notes = Masked }),
        new Rule<NotificationSent>(e => e with { Address = Masked }),
        new Rule<NotificationFailed>(e => e with { Error = Masked }),
        new Rule<NotificationSkipped>(e => e with { Reason = Masked }),
        new Rule<PersonalLinkRevoked>(e => e with { Reason = Masked }),
    ];

    /// <summary>
    /// The rules as Marten's masking rules for protected information, so that an operator can also apply them with
    /// <c>store.Advanced.ApplyEventDataMasking</c>. The retention pass applies the same rules itself (<see cref="Apply"/>):
    /// Marten's batch masking runs in a transaction of its own and can add only the same header to every event, while
    /// each masked event needs its own <c>hash.masked</c>, in the transaction that appends <see cref="PersonalDataMasked"/>.
    /// </summary>
    public static void Register(IEventStoreOptions events)
    {
        foreach (var rule in Rules) rule.RegisterWith(events);
    }

    /// <summary>The event data with its personal data masked (the same instance when its type holds none).</summary>
    public static object Apply(object data) => Rules.FirstOrDefault(r => r.Type == data.GetType()) is { } rule ? rule.Apply(data) : data;

    private interface IRule
    {
        Type Type { get; }
        object Apply(object data);
        void RegisterWith(IEventStoreOptions events);
    }

    private sealed record Rule<T>(Func<T, T> Mask) : IRule where T : class
    {
        public Type Type => typeof(T);
        public object Apply(object data) => Mask((T)data);
        public void RegisterWith(IEventStoreOptions events) => events.AddMaskingRuleForProtectedInformation(Mask);
    }

    /// <summary>
    /// The same masking on the plan document (applied with <see cref="PersonalDataMasked"/>), so that the inline snapshot,
    /// a rebuild from the masked events and every view computed from either hold no personal data. Idempotent.
    /// </summary>
    public static void Mask(Plan plan, DateTimeOffset at)
    {
        plan.Title = Masked;
        plan.Family = Masked;
        foreach (var member in plan.Members) (member.Name, member.Email, member.Phone) = (Masked, null, null);
        foreach (var goal in plan.Goals) (goal.Danger, goal.Text) = (Masked, Masked);
        foreach (var agreement in plan.Agreements) (agreement.Text, agreement.WithdrawalReason) = (Masked, Optional(agreement.WithdrawalReason));
        foreach (var bottomLine in plan.BottomLines) bottomLine.Text = Masked;
        plan.Evaluations = plan.Evaluations.Select(e => e with { Notes = Masked }).ToList();
        foreach (var link in plan.Links) link.RevocationReason = Optional(link.RevocationReason);
        foreach (var delivery in plan.Deliveries.Values) (delivery.Address, delivery.LastError) = (Optional(delivery.Address), Optional(delivery.LastError));
        plan.PersonalDataMaskedAt ??= at;
    }

    public static void Mask(EscalationView view)
    {
        view.PlanTitle = Masked;
        view.BottomLineText = Masked;
        view.Note = Optional(view.Note);
    }

    public static void Mask(InboxItem item) => item.LastError = Optional(item.LastError);
}
