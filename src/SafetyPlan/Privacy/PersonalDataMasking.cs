using Marten.Events;
using SafetyPlan.Escalations;
using SafetyPlan.Notifications;

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

    // One rule per plan event: what it masks, and which of its other strings are not personal data (and why). A string
    // property neither masked nor named here fails the event checklist test (when_an_event_is_added), so a new free
    // text cannot escape retention by being forgotten.
    private static readonly IReadOnlyList<IRule> Rules =
    [
        // The professionals' user ids and the plan's settings are kept (docs/security.md, "Privacy and retention").
        Masks<PlanDrafted>(e => e with { Title = Masked, Family = Masked },
            nameof(PlanDrafted.MonitorId), nameof(PlanDrafted.BackupId), nameof(PlanDrafted.TimeZone), nameof(PlanDrafted.TeamId)),
        // The language is nl or en, a setting.
        Masks<MemberAdded>(e => e with { Name = Masked, Email = null, Phone = null }, nameof(MemberAdded.Language)),
        NoPersonalData<MemberRemindersSet>(),
        // The subscription is named by a hash of its endpoint, never the endpoint.
        NoPersonalData<MemberPushSubscribed>(nameof(MemberPushSubscribed.Subscription)),
        NoPersonalData<MemberPushEnded>(nameof(MemberPushEnded.Subscription), nameof(MemberPushEnded.Failure)),
        Masks<MemberRemoved>(e => e with { Reason = Masked }),
        Masks<SafetyGoalSet>(e => e with { Danger = Masked, Goal = Masked }),
        NoPersonalData<PlanAgreed>(),
        Masks<AgreementMade>(e => e with { Text = Masked }),
        Masks<AgreementWithdrawn>(e => e with { Reason = Masked }),
        Masks<BottomLineSet>(e => e with { Text = Masked }),
        Masks<BottomLineRemoved>(e => e with { Reason = Masked }),
        // A clientId is the reporting device's idempotency key: random, it names nobody.
        Masks<CheckInLogged>(e => e with { Note = Optional(e.Note) }, nameof(CheckInLogged.ClientId)),
        Masks<ConcernRaised>(e => e with { Text = Masked }, nameof(ConcernRaised.ClientId)),
        Masks<SafetyRated>(e => e with { Note = Optional(e.Note) }, nameof(SafetyRated.ClientId)),
        NoPersonalData<CheckInMissed>(),
        NoPersonalData<BreachRecorded>(),
        // The reason of a crossing or an escalation is written by the rules (BottomLineRule.Describe), never by a person.
        NoPersonalData<BottomLineCrossed>(nameof(BottomLineCrossed.Reason)),
        Masks<EscalationRaised>(e => e with { PlanTitle = Masked, BottomLineText = Masked },
            nameof(EscalationRaised.Reason), nameof(EscalationRaised.MonitorId), nameof(EscalationRaised.BackupId)),
        Masks<EscalationAcknowledged>(e => e with { Note = Optional(e.Note) }, nameof(EscalationAcknowledged.By)),
        Masks<EscalationResolved>(e => e with { Note = Masked }, nameof(EscalationResolved.By)),
        NoPersonalData<EscalationPassedToBackup>(nameof(EscalationPassedToBackup.RecipientId)),
        NoPersonalData<EscalationPassedToDuty>(nameof(EscalationPassedToDuty.DutyId)),
        Masks<EvaluationRecorded>(e => e with { Notes = Masked }),
        // The user ids are professionals' accounts, kept like EscalationAcknowledged.By; the note is free text about the case.
        Masks<MonitoringHandedOver>(e => e with { Note = Masked },
            nameof(MonitoringHandedOver.FromMonitorId), nameof(MonitoringHandedOver.FromBackupId), nameof(MonitoringHandedOver.ToMonitorId), nameof(MonitoringHandedOver.ToBackupId)),
        NoPersonalData<EvaluationReminderDue>(),
        NoPersonalData<EvaluationOverdue>(),
        // Delivery keys and references are built from ids, subjects and dates (Notifications/Notify.Key).
        NoPersonalData<NotificationQueued>(nameof(NotificationQueued.Key), nameof(NotificationQueued.Reference), nameof(NotificationQueued.RecipientUserId)),
        Masks<NotificationSent>(e => e with { Address = Masked }, nameof(NotificationSent.Key)),
        Masks<NotificationFailed>(e => e with { Error = Masked }, nameof(NotificationFailed.Key)),
        Masks<NotificationSkipped>(e => e with { Reason = Masked }, nameof(NotificationSkipped.Key)),
        // The failure is a code without personal data (smtp-550, timeout, ...).
        NoPersonalData<NotificationAbandoned>(nameof(NotificationAbandoned.Key), nameof(NotificationAbandoned.Failure)),
        NoPersonalData<PersonalDataMasked>(nameof(PersonalDataMasked.Policy), nameof(PersonalDataMasked.OriginalChainHead), nameof(PersonalDataMasked.MaskedChainHead)),
        NoPersonalData<PersonalLinkIssued>(nameof(PersonalLinkIssued.IssuedBy)),
        Masks<PersonalLinkRevoked>(e => e with { Reason = Masked }, nameof(PersonalLinkRevoked.By)),
        NoPersonalData<PersonalLinkUsed>(),
        // Conference/: who referred may be a person; the notes of a session are free text. Who was present is kept: member ids and professionals' user ids.
        Masks<ReferralRecorded>(e => e with { By = Masked }),
        Masks<ConferenceSessionHeld>(e => e with { Notes = Masked }),
        NoPersonalData<ConferenceOverdue>(),
        // Case audits: the participants' user ids are kept like every professional's; scores and facts are figures, but
        // the facts name each agreement by its text as agreed, masked like the agreement's own.
        Masks<CaseAuditOpened>(e => e with { Facts = Mask(e.Facts) }, nameof(CaseAuditOpened.ProfessionalId), nameof(CaseAuditOpened.AuditorId)),
        Masks<CaseAuditWritten>(e => e with
        {
            Answers = e.Answers.Select(a => a with { Note = Optional(a.Note) }).ToList(), Reflection = Masked, LearningPoints = Masked,
        }, nameof(CaseAuditWritten.By)),
        NoPersonalData<CaseAuditSigned>(nameof(CaseAuditSigned.By)),
    ];

    private static readonly IReadOnlyDictionary<Type, IRule> RuleByType = Rules.ToDictionary(r => r.Type);

    /// <summary>An event type that holds personal data: <paramref name="mask"/> replaces it; the strings named in <paramref name="notPersonal"/> are kept.</summary>
    private static Rule<T> Masks<T>(Func<T, T> mask, params string[] notPersonal) where T : class => new(mask, true, notPersonal);

    /// <summary>An event type without personal data: kept as it is, with each of its strings named as not personal.</summary>
    private static Rule<T> NoPersonalData<T>(params string[] notPersonal) where T : class => new(e => e, false, notPersonal);

    /// <summary>
    /// The rules as Marten's masking rules for protected information, so that an operator can also apply them with
    /// <c>store.Advanced.ApplyEventDataMasking</c>. The retention pass applies the same rules itself (<see cref="Apply"/>):
    /// Marten's batch masking runs in a transaction of its own and can add only the same header to every event, while
    /// each masked event needs its own <c>hash.masked</c>, in the transaction that appends <see cref="PersonalDataMasked"/>.
    /// </summary>
    public static void Register(IEventStoreOptions events)
    {
        foreach (var rule in Rules.Where(r => r.HoldsPersonalData)) rule.RegisterWith(events);
    }

    /// <summary>The event data with its personal data masked (the same instance when its type holds none).</summary>
    /// <exception cref="ArgumentException">the event's type has no rule here: every plan event needs one (docs/events.md, "To add an event")</exception>
    public static object Apply(object data) =>
        RuleByType.TryGetValue(data.GetType(), out var rule) ? rule.Apply(data)
        : throw new ArgumentException($"{data.GetType().Name} has no masking rule in Privacy/PersonalDataMasking.cs.", nameof(data));

    /// <summary>
    /// The string properties of an event type declared not to be personal data (kept when the rest is masked); throws
    /// <see cref="ArgumentException"/> for a type without a rule. The event checklist test checks every other string is masked.
    /// </summary>
    public static IReadOnlyCollection<string> NotPersonal(Type eventType) =>
        RuleByType.TryGetValue(eventType, out var rule) ? rule.NotPersonal
        : throw new ArgumentException($"{eventType.Name} has no masking rule in Privacy/PersonalDataMasking.cs.", nameof(eventType));

    private interface IRule
    {
        Type Type { get; }
        bool HoldsPersonalData { get; }
        IReadOnlyCollection<string> NotPersonal { get; }
        object Apply(object data);
        void RegisterWith(IEventStoreOptions events);
    }

    private sealed record Rule<T>(Func<T, T> Mask, bool HoldsPersonalData, IReadOnlyCollection<string> NotPersonal) : IRule where T : class
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
        foreach (var audit in plan.CaseAudits)
            (audit.Answers, audit.Reflection, audit.LearningPoints, audit.Facts) =
                (audit.Answers.Select(a => a with { Note = Optional(a.Note) }).ToList(), Masked, Masked, Mask(audit.Facts));
        foreach (var delivery in plan.Deliveries.Values) (delivery.Address, delivery.LastError) = (Optional(delivery.Address), Optional(delivery.LastError));
        if (plan.Referral is { } referral) plan.Referral = referral with { By = Masked };
        plan.ConferenceSessions = plan.ConferenceSessions.Select(c => c with { Notes = Masked }).ToList();
        plan.PersonalDataMaskedAt ??= at;
    }

    /// <summary>An audit's facts with each agreement's title masked; every figure kept (an audit from before the figure per agreement: as it is).</summary>
    private static CaseAuditFacts Mask(CaseAuditFacts facts) =>
        facts.ComplianceByAgreement is { } agreements ? facts with { ComplianceByAgreement = agreements.Select(a => a with { Title = Masked }).ToList() } : facts;

    public static void Mask(EscalationView view)
    {
        view.PlanTitle = Masked;
        view.BottomLineText = Masked;
        view.Note = Optional(view.Note);
    }

    public static void Mask(InboxItem item) => item.LastError = Optional(item.LastError);
}
