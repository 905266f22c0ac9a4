using SafetyPlan.Organisations;

namespace SafetyPlan.Notifications;

/// <summary>
/// Who is told about what: queues one delivery per (subject, reference, recipient, channel) within a plan. Only people
/// who are still in the plan's network are ever queued to (<see cref="Member"/>); when someone leaves it, what was
/// still queued to them ends (<see cref="EndFor"/>).
/// </summary>
public static class Notify
{
    /// <summary>
    /// A delivery's key within its plan, <c>{subject}:{reference}:{recipient}:{channel}</c> in lower case, e.g.
    /// <c>evaluationoverdue:2027-03-01:user/anna:email</c>: what the plan's events name a delivery by, and unique within
    /// the plan only (two plans remind the same monitor of the same date under the same key). Outside the plan a delivery
    /// is named by <see cref="DeliveryId"/>.
    /// </summary>
    public static string Key(NotificationSubject subject, string reference, string recipient, NotificationChannel channel) =>
        $"{subject}:{reference}:{recipient}:{channel}".ToLowerInvariant();

    /// <summary>
    /// A delivery's name everywhere outside its plan's events, unique across plans and organisations:
    /// <c>{organisation}/{planId}/{key}</c>, e.g. <c>default/0f8fad5b-d9cb-469f-a165-70867728950e/evaluationoverdue:2027-03-01:user/anna:email</c>
    /// (the organisation URI-escaped). It is the in-app inbox item's id, the e-mail's <c>X-SafetyPlan-Delivery</c>
    /// header and (hashed) its Message-Id, and the webhook's <c>X-SafetyPlan-Delivery</c> header and <c>delivery</c>
    /// field. Keys stored before it existed are keys like any other: the plan and organisation come from the stream.
    /// </summary>
    /// <param name="tenantId">the organisation's Marten tenant id (the default tenant is the organisation <c>default</c>)</param>
    public static string DeliveryId(string tenantId, Guid planId, string key) =>
        $"{Uri.EscapeDataString(Tenants.Organisation(tenantId))}/{planId:D}/{key}";

    /// <summary>
    /// The channels every notification to a person goes by: e-mail and Web Push, each its own delivery (the push one is
    /// skipped at delivery time when the person has no push subscription). The one place a subject's recipients get
    /// their channels, so a new subject that tells a person through <see cref="Professional"/> or <see cref="Member"/>
    /// is pushed too.
    /// </summary>
    public static readonly NotificationChannel[] PersonChannels = [NotificationChannel.Email, NotificationChannel.Push];

    /// <summary>Whether the delivery key names a push delivery (<c>…:push</c>).</summary>
    public static bool IsPush(string key) => key.EndsWith(":push", StringComparison.Ordinal);

    private static IEnumerable<NotificationQueued> ToPerson(NotificationSubject subject, string reference, string? userId, Guid? memberId, DateTimeOffset at) =>
        PersonChannels.Select(channel => new NotificationQueued(
            Key(subject, reference, userId is not null ? $"user/{userId}" : $"member/{memberId}", channel), subject, reference, userId, memberId, channel, at));

    /// <summary>A professional (a user) by every person's channel (<see cref="PersonChannels"/>): e-mail first, then push.</summary>
    public static IEnumerable<NotificationQueued> Professional(NotificationSubject subject, string reference, string userId, DateTimeOffset at) =>
        ToPerson(subject, reference, userId, null, at);

    /// <summary>The organisation's case-management system, by webhook: once per subject, whoever the people told are.</summary>
    public static NotificationQueued Organisation(NotificationSubject subject, string reference, DateTimeOffset at) =>
        new(Key(subject, reference, "organisation", NotificationChannel.Webhook), subject, reference, null, null, NotificationChannel.Webhook, at);

    /// <summary>A professional by e-mail and push, and the organisation by webhook.</summary>
    public static IEnumerable<NotificationQueued> ProfessionalAndOrganisation(NotificationSubject subject, string reference, string userId, DateTimeOffset at) =>
        [.. Professional(subject, reference, userId, at), Organisation(subject, reference, at)];

    /// <summary>A member of the plan's network: <see cref="ToMember"/>.</summary>
    public static IEnumerable<NotificationQueued> Member(Plan plan, NotificationSubject subject, string reference, Guid memberId, DateTimeOffset at) =>
        ToMember(plan, subject, reference, memberId, at);

    /// <summary>
    /// Tells a member of the network on every person's channel (<see cref="PersonChannels"/>; the e-mail delivery is also
    /// the member's in-app inbox item, so a member without an e-mail address still has it there), once per (subject,
    /// reference): nothing for someone removed from the network (or never in it), and nothing on a channel that already
    /// has a delivery under the same key, so a decision that runs again, or a second occasion for the same occurrence,
    /// queues nothing twice.
    /// </summary>
    public static IEnumerable<NotificationQueued> ToMember(Plan plan, NotificationSubject subject, string reference, Guid memberId, DateTimeOffset at) =>
        plan.ActiveMember(memberId) is null
            ? []
            : ToPerson(subject, reference, null, memberId, at)
                .Where(queued => !plan.Deliveries.TryGetValue(queued.Key, out var earlier) || MayBeQueuedAgain(earlier)).ToList();

    /// <summary>
    /// Whether a delivery already under a key still lets the same notification be queued again: only a watcher's notice
    /// (<see cref="NotificationSubject.AgreementSlipped"/>) that the dispatcher skipped because its occurrence stood
    /// corrected to kept at that moment (<see cref="NoLongerNeeded"/>). When the occurrence is then reported not kept
    /// again, the watcher must still hear of it, once; without this the notice's fate hung on when the dispatcher looked.
    /// <see cref="Plans.Plan"/> applies such a second <see cref="NotificationQueued"/> as a new delivery under the same key.
    /// </summary>
    public static bool MayBeQueuedAgain(Delivery earlier) =>
        earlier is { Subject: NotificationSubject.AgreementSlipped, Status: DeliveryStatus.Skipped, LastError: NoLongerNeeded };

    /// <summary>Whether a member was already told this (subject, reference) on any person's channel.</summary>
    public static bool WasToldMember(Plan plan, NotificationSubject subject, string reference, Guid memberId) =>
        PersonChannels.Any(channel => plan.Deliveries.ContainsKey(Key(subject, reference, $"member/{memberId}", channel)));

    /// <summary>
    /// The reference of a notification about one occurrence of an agreement: <c>{agreementId}/{occurrence}</c>, the
    /// occurrence in UTC to the second, e.g. <c>0f8fad5b-d9cb-469f-a165-70867728950e/2027-03-01T17:00:00Z</c>.
    /// </summary>
    public static string OccurrenceReference(Guid agreementId, DateTimeOffset occurrence) =>
        $"{agreementId:D}/{occurrence.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>The agreement and occurrence an <see cref="OccurrenceReference"/> names; false for any other reference.</summary>
    public static bool TryReadOccurrenceReference(string reference, out Guid agreementId, out DateTimeOffset occurrence)
    {
        occurrence = default;
        var slash = reference.IndexOf('/');
        return Guid.TryParse(slash < 0 ? "" : reference[..slash], out agreementId)
               && DateTimeOffset.TryParseExact(reference[(slash + 1)..], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                   DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out occurrence);
    }

    /// <summary>
    /// The reminder before one occurrence, to the agreement's responsible member (<see cref="NotificationSubject.CheckInReminder"/>);
    /// when it is due and when not is <see cref="Scheduling.Reminders"/>'s rule.
    /// </summary>
    public static IEnumerable<NotificationQueued> CheckInReminder(Plan plan, Agreement agreement, DateTimeOffset occurrence, DateTimeOffset at) =>
        ToMember(plan, NotificationSubject.CheckInReminder, OccurrenceReference(agreement.Id, occurrence), agreement.ResponsibleMemberId, at);

    /// <summary>
    /// An occurrence of the agreement was missed or reported not kept: each watcher still in the network, except the
    /// responsible member themselves, is told once per occurrence (<see cref="NotificationSubject.AgreementSlipped"/>),
    /// whether or not a bottom line is crossed (../shared/domain.md, "The network in the loop").
    /// </summary>
    public static IEnumerable<NotificationQueued> Slipped(Plan plan, Agreement agreement, DateTimeOffset occurrence, DateTimeOffset at) =>
        agreement.Watchers.Distinct().Where(w => w != agreement.ResponsibleMemberId)
            .SelectMany(w => ToMember(plan, NotificationSubject.AgreementSlipped, OccurrenceReference(agreement.Id, occurrence), w, at))
            .ToList();

    /// <summary>
    /// The monitor, every member still in the network and the organisation are reminded of the evaluation. A member
    /// without an e-mail address is reminded too (the in-app inbox and Web Push reach them); their e-mail delivery is
    /// skipped when it is attempted.
    /// </summary>
    public static IEnumerable<NotificationQueued> EvaluationReminder(Plan plan, string reference, DateTimeOffset at) =>
        Professional(NotificationSubject.EvaluationReminder, reference, plan.MonitorId, at)
            .Concat(plan.Members.SelectMany(m => Member(plan, NotificationSubject.EvaluationReminder, reference, m.Id, at)))
            .Append(Organisation(NotificationSubject.EvaluationReminder, reference, at));

    /// <summary>The reason a delivery to someone who left the network is skipped; holds nothing of the case.</summary>
    public const string RecipientRemoved = "The recipient was removed from the plan's network before it was delivered.";

    /// <summary>
    /// Whether a delivery must not go out because its recipient member is no longer in the plan's network. The dispatcher
    /// asks before every attempt, so that a delivery queued before the removal never reaches them, also one that an
    /// older version queued or did not end (<see cref="EndFor"/>).
    /// </summary>
    public static bool RecipientLeft(Plan plan, Delivery delivery) =>
        delivery.RecipientMemberId is { } memberId && plan.ActiveMember(memberId) is null;

    /// <summary>The reason a delivery that time or a report made pointless is skipped; holds nothing of the case.</summary>
    public const string NoLongerNeeded = "No longer needed when it was to be sent: what it was about was reported or past, or reminders were turned off.";

    /// <summary>
    /// Why a delivery to a person must not go out at <paramref name="now"/> (the dispatcher asks before every attempt, the
    /// first and each retry), or null when it still must:
    /// <list type="bullet">
    /// <item>its recipient member left the network (<see cref="RecipientRemoved"/>);</item>
    /// <item>a check-in reminder whose occurrence was reported on or missed, whose report window closed, whose agreement
    /// was withdrawn or plan is no longer active, or whose member turned reminders off (<see cref="Scheduling.Reminders"/>'s
    /// rule, asked again at sending, so that a retry after an outage never reminds of what is done or past);</item>
    /// <item>an agreement-slipped alert whose occurrence was corrected to kept or partly kept.</item>
    /// </list>
    /// Alarms are never judged away: an escalation's messages go out also after someone responded (a crash or an outage
    /// must not decide who hears of an alarm). Webhooks are not judged here either: the organisation's system records
    /// every step.
    /// </summary>
    public static string? NoLongerWanted(Plan plan, Delivery delivery, DateTimeOffset now)
    {
        if (RecipientLeft(plan, delivery)) return RecipientRemoved;
        if (delivery.Channel == NotificationChannel.Webhook) return null;
        switch (delivery.Subject)
        {
            case NotificationSubject.CheckInReminder when TryReadOccurrenceReference(delivery.Reference, out var agreementId, out var occurrence):
            {
                if (plan.State != PlanState.Active || plan.FindAgreement(agreementId) is not { IsWithdrawn: false } agreement) return NoLongerNeeded;
                if (plan.ActiveMember(agreement.ResponsibleMemberId) is not { RemindersOff: false }) return NoLongerNeeded;
                if (agreement.IsSettled(occurrence)) return NoLongerNeeded;
                return Scheduling.Reminders.IsStale(agreement, occurrence, now) ? NoLongerNeeded : null;
            }
            case NotificationSubject.AgreementSlipped when TryReadOccurrenceReference(delivery.Reference, out var agreementId, out var occurrence):
                return plan.FindAgreement(agreementId)?.FindOccurrence(occurrence) is { Outcome: CheckInOutcome.Kept or CheckInOutcome.Partly } ? NoLongerNeeded : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// What removing a member does to the deliveries still queued to them: each is skipped (<see cref="RecipientRemoved"/>),
    /// in the same transaction as the removal. Appended with <c>MemberRemoved</c> (Plans/RemoveMember.cs).
    /// </summary>
    public static IEnumerable<NotificationSkipped> EndFor(Plan plan, Guid memberId, DateTimeOffset at) =>
        plan.Deliveries.Values
            .Where(d => d.RecipientMemberId == memberId && d.Status == DeliveryStatus.Queued)
            .OrderBy(d => d.QueuedAt).ThenBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => new NotificationSkipped(d.Key, RecipientRemoved, at));
}
