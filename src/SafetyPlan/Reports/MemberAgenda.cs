namespace SafetyPlan.Reports;

public enum OccurrenceState { Open, Kept, Partly, NotKept, Missed }

/// <summary>How one occurrence of this week stands for the member: still to come, passed but still open to report, reported (kept, partly, not kept), missed, or reported after its window closed.</summary>
public enum WeekState { ToCome, Open, Kept, Partly, NotKept, Missed, Late }

/// <summary>One occurrence of the current week (Monday to Sunday in the plan's zone) of an agreement the member reports on.</summary>
/// <param name="Responsible">the member is the agreement's responsible member (otherwise a named reporter)</param>
public sealed record WeekItem(Guid AgreementId, string Text, DateTimeOffset Occurrence, WeekState State, bool Responsible);

/// <summary>
/// One agreement of "our plan" in plain words: what, who does it (the responsible member's name only: never another member's
/// contact details, ratings or notes; ../shared/domain.md, "What a member sees"), when, and how it concerns this member.
/// </summary>
public sealed record PlanLine(Guid AgreementId, string Text, string Who, Agreements.Schedule Schedule, bool Mine, bool IReport, bool IWatch);

/// <summary>A safety goal with the agreements made for it; <paramref name="Goal"/> is null for agreements made for no goal in particular.</summary>
public sealed record GoalLines(string? Goal, IReadOnlyList<PlanLine> Agreements);

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

    /// <summary>
    /// The member's page, "our plan": each safety goal with its agreements (not withdrawn), in the order they were made,
    /// then the agreements for no goal; empty for a plan that is not active. Every agreement of the plan is listed, not
    /// only the member's: the network carries the plan together.
    /// </summary>
    public static IReadOnlyList<GoalLines> OurPlan(Plan plan, Guid memberId)
    {
        if (plan.State != PlanState.Active) return [];
        PlanLine Line(Agreement a) => new(a.Id, a.Text, plan.Members.FirstOrDefault(m => m.Id == a.ResponsibleMemberId)?.Name ?? "",
            a.Schedule, a.ResponsibleMemberId == memberId, a.Reporters.Contains(memberId), a.Watchers.Contains(memberId));
        var agreements = plan.Agreements.Where(a => !a.IsWithdrawn).ToList();
        var goals = plan.Goals.Select(g => new GoalLines(g.Text, agreements.Where(a => a.GoalId == g.Id).Select(Line).ToList())).ToList();
        var known = plan.Goals.Select(g => g.Id).ToHashSet();
        var loose = agreements.Where(a => a.GoalId is not { } goal || !known.Contains(goal)).Select(Line).ToList();
        if (loose.Count > 0) goals.Add(new GoalLines(null, loose));
        return goals;
    }

    /// <summary>
    /// "This week's agreements for me": every occurrence from Monday 00:00 up to next Monday 00:00 (wall clock in the plan's
    /// zone, so a week with a DST change has 167 or 169 hours) of each agreement the member is responsible for or named a
    /// reporter on, in order, each with its <see cref="WeekState"/> at <paramref name="now"/>. Withdrawn agreements count
    /// until their withdrawal; none before the agreement (or the plan's activation). Empty for a plan that is not active.
    /// </summary>
    public static IReadOnlyList<WeekItem> ThisWeek(Plan plan, Guid memberId, DateTimeOffset now)
    {
        if (plan.State != PlanState.Active) return [];
        var zone = plan.Zone();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var weekStart = Agreements.Schedule.ToInstant(monday.ToDateTime(TimeOnly.MinValue), zone);
        var weekEnd = Agreements.Schedule.ToInstant(monday.AddDays(7).ToDateTime(TimeOnly.MinValue), zone);
        var items = new List<WeekItem>();
        foreach (var agreement in plan.Agreements.Where(a => a.MayBeReportedOnBy(memberId)))
        {
            var start = agreement.StartsAfter(plan);
            var from = start > weekStart.AddTicks(-1) ? start : weekStart.AddTicks(-1);
            var until = agreement.WithdrawnAt is { } withdrawn && withdrawn < weekEnd ? withdrawn : weekEnd.AddTicks(-1);
            foreach (var moment in agreement.Schedule.Occurrences(from, until, zone))
                items.Add(new WeekItem(agreement.Id, agreement.Text, moment, WeekStateOf(agreement, moment, now), agreement.ResponsibleMemberId == memberId));
        }
        return items.OrderBy(i => i.Occurrence).ThenBy(i => i.Text, StringComparer.Ordinal).ToList();
    }

    private static WeekState WeekStateOf(Agreement agreement, DateTimeOffset occurrence, DateTimeOffset now)
    {
        if (agreement.LateReports.Any(r => r.Occurrence == occurrence)) return WeekState.Late;
        return StateOf(agreement, occurrence) switch
        {
            OccurrenceState.Kept => WeekState.Kept,
            OccurrenceState.Partly => WeekState.Partly,
            OccurrenceState.NotKept => WeekState.NotKept,
            OccurrenceState.Missed => WeekState.Missed,
            _ => occurrence > now ? WeekState.ToCome : WeekState.Open,
        };
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
