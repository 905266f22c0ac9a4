using SafetyPlan.Agreements;

namespace SafetyPlan.Plans;

public enum StatusColour { Green, Amber, Red }

/// <param name="Reachable">whether any channel that reaches out still works (<see cref="Reachability"/>); for a member asking, given for themselves only (whether others have an address is contact metadata)</param>
/// <param name="UnreachableReason">when not reachable: why (<c>no-channel</c>, <c>email-refused</c>, <c>push-gone</c>, <c>email-refused-and-push-gone</c>); for a member asking, given for themselves only</param>
public sealed record MemberView(Guid Id, string Name, MemberRole Role, string? Email, string? Phone, bool? Reachable, UnreachableReason? UnreachableReason);
/// <summary>Whom to call: a member responsible for an agreement whom no message reaches (the plan is amber for them).</summary>
public sealed record UnreachableMemberView(Guid MemberId, string Name, string? Phone, UnreachableReason Reason);
public sealed record GoalView(Guid Id, string Danger, string Goal);
/// <summary>A report after its occurrence's window: listed, never erasing the missed check-in.</summary>
public sealed record LateReportView(DateTimeOffset Occurrence, Guid MemberId, CheckInOutcome Outcome, bool Correction, DateTimeOffset At);

/// <param name="Due">occurrences up to now; <c>Missed</c> keeps counting an occurrence a late report came in for</param>
/// <param name="ReportFrom">ISO 8601 duration before each occurrence from which it takes reports</param>
/// <param name="RemindBefore">ISO 8601 duration before each occurrence at which the responsible member is reminded</param>
public sealed record AgreementView(
    Guid Id, string Text, Guid ResponsibleMemberId, Guid? GoalId, ScheduleRequest Schedule, string Grace, bool Withdrawn,
    int Due, int Kept, int Partly, int NotKept, int Missed, DateTimeOffset? NextOccurrence,
    IReadOnlyList<Guid> Reporters, string ReportFrom, string RemindBefore, IReadOnlyList<Guid> Watchers,
    IReadOnlyList<LateReportView> LateReports);
public sealed record BottomLineView(Guid Id, string Text, BottomLines.BottomLineRule Rule, bool Crossed);
public sealed record RatingView(Guid MemberId, int Score, DateTimeOffset At);
/// <summary>A notification and how far its delivery had got at the moment the status is judged at.</summary>
/// <param name="Delivery">queued (to be tried, perhaps again), sent, skipped, or failed (ended without arriving: never tried again)</param>
/// <param name="Failure">with <c>failed</c>: why, as a code without personal data (<c>smtp-550</c>, <c>http-410</c>, <c>smtp-451</c>, …)</param>
public sealed record NotificationView(
    NotificationSubject Subject, string Reference, string? RecipientUserId, Guid? RecipientMemberId,
    NotificationChannel Channel, DeliveryStatus Delivery, int FailedAttempts, DateTimeOffset QueuedAt, DateTimeOffset? SentAt,
    string? Failure);

/// <summary>The plan's referral (<see cref="ReferralRecorded"/>).</summary>
/// <param name="ConferenceWithin">ISO 8601 period in days, e.g. <c>P42D</c></param>
/// <param name="ConferenceDue">the last day the first conference session is on time (receivedOn + conferenceWithin)</param>
public sealed record ReferralView(string By, DateOnly ReceivedOn, string ConferenceWithin, DateOnly ConferenceDue);
/// <summary>A session of the network conference (<see cref="ConferenceSessionHeld"/>).</summary>
/// <param name="Notes">what was agreed; null for a member asking (the professionals' minutes, like other people's notes)</param>
public sealed record ConferenceSessionView(Guid Id, DateOnly HeldOn, IReadOnlyList<Guid> MembersPresent, IReadOnlyList<string> ProfessionalsPresent, string? Notes);

/// <summary>The plan status of the contract.</summary>
/// <param name="ConferenceDue">the last day the first conference session is on time, while the plan has a referral and no session was held; null otherwise</param>
/// <param name="ConferenceOverdue">that day has passed in the plan's zone (the plan is amber)</param>
public sealed record PlanStatus(
    Guid Id, string Title, string Family, PlanState State, StatusColour Status, int Version, int Revision, string MonitorId,
    string? BackupId, string TimeZone, DateOnly? NextEvaluationDue, bool EvaluationOverdue, DateTimeOffset? LastCheckInAt,
    IReadOnlyList<MemberView> Members, IReadOnlyList<GoalView> Goals, IReadOnlyList<AgreementView> Agreements,
    IReadOnlyList<BottomLineView> BottomLines, int OpenEscalations, int OpenBreaches, IReadOnlyList<RatingView> Ratings,
    DateTimeOffset AsOf, IReadOnlyList<NotificationView> Notifications,
    ReferralView? Referral = null, IReadOnlyList<ConferenceSessionView>? ConferenceSessions = null, DateOnly? ConferenceDue = null,
    bool ConferenceOverdue = false)
{
    /// <summary>Who monitored the plan when, oldest first (Handover/MonitorPeriods.cs).</summary>
    public IReadOnlyList<Handover.MonitorPeriod> Monitors { get; init; } = [];

    /// <summary>
    /// The check-in reminders no longer in <see cref="Notifications"/>: those that ended and whose occurrence was reported
    /// on or missed, counted by how they ended (<see cref="Plan.RemindersSettled"/>). Each is still in the plan's history
    /// and in the member's inbox. Null for a member asking, like the notifications.
    /// </summary>
    public SettledReminders? RemindersSettled { get; init; }
}

/// <summary>One line of the plan list.</summary>
/// <param name="ConferenceDue">as in <see cref="PlanStatus"/>: the plan waits for its first conference session until then</param>
public sealed record PlanSummary(
    Guid Id, string Title, string Family, PlanState State, StatusColour Status, int Version, string MonitorId, string? BackupId,
    DateOnly? NextEvaluationDue, DateTimeOffset? LastCheckInAt, int OpenEscalations, int OpenBreaches,
    IReadOnlyList<UnreachableMemberView> Unreachable, DateOnly? ConferenceDue = null, bool ConferenceOverdue = false);

/// <summary>
/// Status at a given moment, from the plan's facts: red while a bottom line is crossed or an escalation is open;
/// amber with breaches (not kept, concerns, missed check-ins) in the recent window, an overdue evaluation, or a member
/// responsible for an agreement whom no message reaches (<see cref="Reachability.UnreachableResponsible"/>); green otherwise.
/// </summary>
public static class PlanStatusView
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(14);

    public static StatusColour Colour(Plan plan, DateTimeOffset now)
    {
        if (plan.ActiveBottomLines.Any(b => b.IsCrossed) || plan.Escalations.Any(e => e.IsOpen)) return StatusColour.Red;
        if (OpenBreaches(plan, now) > 0 || IsEvaluationOverdue(plan, now) || IsConferenceOverdue(plan, now)
            || Reachability.UnreachableResponsible(plan, now).Count > 0) return StatusColour.Amber;
        return StatusColour.Green;
    }

    /// <summary>Breaches recorded by <paramref name="now"/> that happened in the <see cref="RecentWindow"/> before it.</summary>
    public static int OpenBreaches(Plan plan, DateTimeOffset now) => plan.Breaches.Count(b => b.Date > now - RecentWindow && b.At <= now);

    public static bool IsEvaluationOverdue(Plan plan, DateTimeOffset now) =>
        plan.State == PlanState.Active && plan.EvaluationDue is { } due
        && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, plan.Zone()).DateTime) > due;

    /// <summary>The referral's conference deadline has passed in the plan's zone with no session held (<see cref="Plan.ConferenceDue"/>).</summary>
    public static bool IsConferenceOverdue(Plan plan, DateTimeOffset now) => plan.ConferenceDue is { } due && plan.Today(now) > due;

    public static PlanSummary Summary(Plan plan, DateTimeOffset now) => new(
        plan.Id, plan.Title, plan.Family, plan.State, Colour(plan, now), plan.Version, plan.MonitorId, plan.BackupId,
        plan.EvaluationDue, plan.LastCheckInAt, plan.Escalations.Count(e => e.IsOpen), OpenBreaches(plan, now),
        Reachability.UnreachableResponsible(plan, now).Select(m => new UnreachableMemberView(m.Id, m.Name, m.Phone, Reachability.Of(m)!.Value)).ToList(),
        plan.ConferenceDue, IsConferenceOverdue(plan, now));

    /// <param name="forMember">
    /// the network member asking, or null for professionals and auditors. A member sees no one's e-mail and phone, nor
    /// what was sent to whom, and of the ratings and late reports only their own (../shared/domain.md, "What a member sees").
    /// </param>
    public static PlanStatus Status(Plan plan, DateTimeOffset now, Guid? forMember = null)
    {
        var zone = plan.Zone();
        var withContactDetails = forMember is null;
        return new PlanStatus(
            plan.Id, plan.Title, plan.Family, plan.State, Colour(plan, now), plan.Version, plan.Revision, plan.MonitorId,
            plan.BackupId, plan.TimeZone, plan.EvaluationDue, IsEvaluationOverdue(plan, now), plan.LastCheckInAt,
            plan.Members.Where(m => m.RemovedAt is null)
                .Select(m => new MemberView(m.Id, m.Name, m.Role, withContactDetails ? m.Email : null, withContactDetails ? m.Phone : null,
                    withContactDetails || m.Id == forMember ? Reachability.Of(m) is null : null,
                    withContactDetails || m.Id == forMember ? Reachability.Of(m) : null))
                .ToList(),
            plan.Goals.Select(g => new GoalView(g.Id, g.Danger, g.Text)).ToList(),
            plan.Agreements.Select(a => Agreement(plan, a, now, zone, forMember)).ToList(),
            plan.ActiveBottomLines.Select(b => new BottomLineView(b.Id, b.Text, b.Rule, b.IsCrossed)).ToList(),
            plan.Escalations.Count(e => e.IsOpen), OpenBreaches(plan, now),
            plan.Ratings.Where(r => forMember is null || r.MemberId == forMember).Select(r => new RatingView(r.MemberId, r.Score, r.At)).ToList(),
            now,
            withContactDetails
                ? plan.Deliveries.Values.OrderBy(d => d.QueuedAt).ThenBy(d => d.Key, StringComparer.Ordinal)
                    .Select(d => new NotificationView(d.Subject, d.Reference, d.RecipientUserId, d.RecipientMemberId, d.Channel,
                        d.Status, d.Attempts, d.QueuedAt, d.SentAt, d.Failure))
                    .ToList()
                : [],
            plan.Referral is { } referral
                ? new ReferralView(referral.By, referral.ReceivedOn, $"P{referral.ConferenceWithinDays.ToString(CultureInfo.InvariantCulture)}D", referral.ConferenceDue)
                : null,
            plan.ConferenceSessions.OrderBy(c => c.HeldOn).Select(c => new ConferenceSessionView(c.SessionId, c.HeldOn, c.MembersPresent, c.ProfessionalsPresent,
                withContactDetails ? c.Notes : null)).ToList(),
            plan.ConferenceDue, IsConferenceOverdue(plan, now))
        {
            Monitors = Handover.MonitorPeriods.Of(plan),
            RemindersSettled = withContactDetails ? plan.RemindersSettled : null,
        };
    }

    private static AgreementView Agreement(Plan plan, Agreement agreement, DateTimeOffset now, TimeZoneInfo zone, Guid? forMember)
    {
        var active = plan.State == PlanState.Active && !agreement.IsWithdrawn;
        var due = 0;
        if (plan.AgreedAt is not null)
        {
            var until = agreement.WithdrawnAt is { } withdrawn && withdrawn < now ? withdrawn : now;
            due = agreement.Schedule.Occurrences(agreement.StartsAfter(plan), until, zone).Count();
        }
        var reported = agreement.Occurrences;
        return new AgreementView(
            agreement.Id, agreement.Text, agreement.ResponsibleMemberId, agreement.GoalId, ScheduleRequest.From(agreement.Schedule),
            Web.ContractValues.Duration(agreement.Grace), agreement.IsWithdrawn, due,
            reported.Count(o => o.Outcome == CheckInOutcome.Kept),
            reported.Count(o => o.Outcome == CheckInOutcome.Partly),
            reported.Count(o => o.Outcome == CheckInOutcome.NotKept),
            reported.Count(o => o.Missed),
            active ? agreement.Schedule.Next(now > agreement.StartsAfter(plan) ? now : agreement.StartsAfter(plan), zone) : null,
            agreement.Reporters, Web.ContractValues.Duration(agreement.ReportFrom), Web.ContractValues.Duration(agreement.RemindBefore),
            agreement.Watchers,
            agreement.LateReports.Where(l => forMember is null || l.MemberId == forMember).Select(l => new LateReportView(l.Occurrence, l.MemberId, l.Outcome, l.Correction, l.At)).ToList());
    }
}
