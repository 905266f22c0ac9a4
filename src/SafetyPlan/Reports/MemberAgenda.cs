using SafetyPlan.Plans;

namespace SafetyPlan.Reports;

public enum OccurrenceState { Open, Kept, Partly, NotKept, Missed }

/// <summary>One moment a member is expected to report on.</summary>
public sealed record AgendaItem(Guid AgreementId, string Text, DateTimeOffset Occurrence, OccurrenceState State, bool Today);

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
        foreach (var agreement in plan.Agreements.Where(a => a.ResponsibleMemberId == memberId && !a.IsWithdrawn))
        {
            var start = agreement.StartsAfter(plan);
            var from = start > now - Recently ? start : now - Recently;
            var moments = agreement.Schedule.Occurrences(from, now, zone).ToList();
            if (agreement.Schedule.Next(now > start ? now : start, zone) is { } next
                && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(next, zone).DateTime) == today)
                moments.Add(next);
            foreach (var moment in moments)
            {
                var record = agreement.Occurrences.FirstOrDefault(o => o.Occurrence == moment);
                var state = record switch
                {
                    { Outcome: CheckInOutcome.Kept } => OccurrenceState.Kept,
                    { Outcome: CheckInOutcome.Partly } => OccurrenceState.Partly,
                    { Outcome: CheckInOutcome.NotKept } => OccurrenceState.NotKept,
                    { Missed: true } => OccurrenceState.Missed,
                    _ => OccurrenceState.Open,
                };
                items.Add(new AgendaItem(agreement.Id, agreement.Text, moment, state,
                    DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, zone).DateTime) == today));
            }
        }
        return items.OrderByDescending(i => i.Occurrence).ToList();
    }
}
