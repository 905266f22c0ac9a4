namespace SafetyPlan.Reports;

public enum OccurrenceState { Open, Kept, Partly, NotKept, Missed }

/// <summary>One moment a member is expected to report on.</summary>
public sealed record AgendaItem(Guid AgreementId, string Text, DateTimeOffset Occurrence, OccurrenceState State, bool Today);

/// <summary>One thing for a member on their page: a reminder of an occurrence they can still report on, or an agreement they watch that slipped.</summary>
public sealed record ForYouItem(NotificationSubject Subject, Guid AgreementId, string Text, DateTimeOffset Occurrence);

/// <summary>
/// What a network member sees on their phone: their agreements' occurrences of today (including the next one today,
/// which may be reported ahead) and of the last few days, newest first, each with its state.
/// </summary>
public static class MemberAgenda
{
    public static readonly TimeSpan Recently = TimeSpan.FromDays(3);

    public static IReadOnlyList<AgendaItem> For(Plan plan, Guid memberId, DateTimeOffset now)
    {
        if (plan.State != PlanState.Active) return [];
        var zone = plan.Zone();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var items = new List<AgendaItem>();
        foreach (var agreement in plan.Agreements.Where(a => a.MayBeReportedOnBy(memberId) && !a.IsWithdrawn))
        {
            var start = agreement.StartsAfter(plan);
            var from = start > now - Recently ? start : now - Recently;
            var moments = agreement.Schedule.Occurrences(from, now, zone).ToList();
            if (agreement.Schedule.Next(now > start ? now : start, zone) is { } next
                && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(next, zone).DateTime) == today)
                moments.Add(next);
            foreach (var moment in moments)
            {
                items.Add(new AgendaItem(agreement.Id, agreement.Text, moment, StateOf(agreement, moment),
                    DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, zone).DateTime) == today));
            }
        }
        return items.OrderByDescending(i => i.Occurrence).ToList();
    }

    /// <summary>
    /// The member's "for you" list, newest first: each reminder sent to them whose occurrence nobody reported on yet and
    /// whose window is still open, and each agreement they watch that slipped in the last <see cref="Recently"/>; one item per
    /// notification, whatever channels it went by.
    /// </summary>
    public static IReadOnlyList<ForYouItem> ForYou(Plan plan, Guid memberId, DateTimeOffset now)
    {
        var items = new List<ForYouItem>();
        foreach (var delivery in plan.Deliveries.Values.Where(d => d.RecipientMemberId == memberId && d.QueuedAt <= now
                     && d.Subject is NotificationSubject.CheckInReminder or NotificationSubject.AgreementSlipped))
        {
            if (!Notifications.Notify.TryReadOccurrenceReference(delivery.Reference, out var agreementId, out var occurrence)) continue;
            if (plan.FindAgreement(agreementId) is not { } agreement) continue;
            var show = delivery.Subject == NotificationSubject.CheckInReminder
                ? !agreement.IsWithdrawn && now < Agreements.ReportWindow.Closes(agreement, occurrence) && StateOf(agreement, occurrence) == OccurrenceState.Open
                : occurrence > now - Recently;
            if (show) items.Add(new ForYouItem(delivery.Subject, agreementId, agreement.Text, occurrence));
        }
        return items.Distinct().OrderByDescending(i => i.Occurrence).ToList();
    }

    public static OccurrenceState StateOf(Agreement agreement, DateTimeOffset occurrence) =>
        agreement.Occurrences.FirstOrDefault(o => o.Occurrence == occurrence) switch
        {
            { Outcome: CheckInOutcome.Kept } => OccurrenceState.Kept,
            { Outcome: CheckInOutcome.Partly } => OccurrenceState.Partly,
            { Outcome: CheckInOutcome.NotKept } => OccurrenceState.NotKept,
            { Missed: true } => OccurrenceState.Missed,
            _ => OccurrenceState.Open,
        };

    /// <summary>An agreement's occurrences up to now (the last <paramref name="take"/>), oldest first, each with its state: the compliance chart.</summary>
    public static IReadOnlyList<(DateTimeOffset Occurrence, OccurrenceState State)> Compliance(Plan plan, Agreement agreement, DateTimeOffset now, int take)
    {
        if (plan.AgreedAt is null) return [];
        var until = agreement.WithdrawnAt is { } withdrawn && withdrawn < now ? withdrawn : now;
        return agreement.Schedule.Occurrences(agreement.StartsAfter(plan), until, plan.Zone())
            .TakeLast(take).Select(o => (o, StateOf(agreement, o))).ToList();
    }
}
