using SafetyPlan.BottomLines;

namespace SafetyPlan.Scheduling;

public enum DeadlineKind { CheckInDue, Silence, AcknowledgeBy, PassToDuty, EvaluationReminder, EvaluationOverdue, Delivery, CheckInReminder, ConferenceOverdue }

/// <summary>One future moment that matters for a plan.</summary>
public sealed record Deadline(DateTimeOffset DueAt, DeadlineKind Kind, Guid? Ref = null, DateTimeOffset? Occurrence = null, int? DaysBefore = null, string? DeliveryKey = null);

/// <summary>
/// Every pending deadline of a plan, computed from its state alone: per agreement the grace end of its first open
/// occurrence and the reminder before its next occurrence not reported on (<see cref="Reminders"/>), each silence rule's moment, each unacknowledged escalation's next step (backup, then duty), the evaluation reminders
/// and the overdue moment, and each queued notification's next attempt. The earliest is stored on the plan
/// (<see cref="Plan.NextDeadlineAt"/>, indexed) so that the sweep reads only plans that have work. The sums saturate
/// at the calendar's end (<see cref="Saturating"/>): this runs on every append, so one overflowing value stored before
/// the bounds existed would fail every later decision on its plan.
/// </summary>
public static class Deadlines
{
    public static readonly TimeOnly ReminderTime = new(9, 0);

    public static string ReminderKey(DateOnly due, int daysBefore) => $"{due:yyyy-MM-dd}/{daysBefore.ToString(CultureInfo.InvariantCulture)}";

    public static IEnumerable<Deadline> Upcoming(Plan plan)
    {
        foreach (var delivery in plan.Deliveries.Values.Where(d => d.Status == DeliveryStatus.Queued))
            yield return new Deadline(delivery.NextAttemptAt, DeadlineKind.Delivery, DeliveryKey: delivery.Key);

        // An open escalation climbs whatever the plan's state (a plan cannot be closed while one is open, but older ones were).
        foreach (var escalation in plan.Escalations.Where(e => e.IsOpen && e.AcknowledgedAt is null && e.PassedToBackupAt is null))
            yield return new Deadline(escalation.AcknowledgeBy, DeadlineKind.AcknowledgeBy, escalation.Id);
        foreach (var escalation in plan.Escalations.Where(e => e.IsOpen && e.AcknowledgedAt is null && e.PassedToBackupAt is not null && e.PassedToDutyAt is null))
            yield return new Deadline(escalation.DutyDueAt, DeadlineKind.PassToDuty, escalation.Id);

        // The referral's conference deadline holds in a draft too: the first session is what the plan waits for.
        if (plan.ConferenceDue is { } conferenceDue && plan.ConferenceOverdueNotified != conferenceDue)
            yield return new Deadline(Schedule(conferenceDue.PlusDays(1), TimeOnly.MinValue, plan.Zone()), DeadlineKind.ConferenceOverdue);

        if (plan.State != PlanState.Active) yield break;
        var zone = plan.Zone();

        foreach (var agreement in plan.Agreements.Where(a => !a.IsWithdrawn))
        {
            var from = agreement.SettledUntil ?? agreement.StartsAfter(plan);
            if (agreement.Schedule.Next(from, zone) is { } occurrence)
                yield return new Deadline(occurrence.Plus(agreement.Grace), DeadlineKind.CheckInDue, agreement.Id, occurrence);
            if (Reminders.Next(plan, agreement) is { } remind)
                yield return new Deadline(Reminders.DueAt(agreement, remind), DeadlineKind.CheckInReminder, agreement.Id, remind);
        }

        foreach (var bottomLine in plan.ActiveBottomLines.Where(b => b.Rule.Kind == RuleKind.Silence && !b.IsCrossed))
        {
            var lastHeard = Latest(plan.LastCheckInAt ?? plan.AgreedAt!.Value, bottomLine.SetAt, bottomLine.LastResolvedAt);
            yield return new Deadline(lastHeard.Plus(bottomLine.Rule.For!.Value), DeadlineKind.Silence, bottomLine.Id);
        }

        if (plan.EvaluationDue is { } due)
        {
            foreach (var days in plan.EvaluationReminderDays.Distinct())
            {
                var moment = Schedule(due.PlusDays(-days), ReminderTime, zone);
                if (moment >= plan.EvaluationDueSetAt && !plan.RemindersSent.Contains(ReminderKey(due, days)))
                    yield return new Deadline(moment, DeadlineKind.EvaluationReminder, DaysBefore: days);
            }
            if (!plan.OverdueNotified.Contains(due))
                yield return new Deadline(Schedule(due.PlusDays(1), TimeOnly.MinValue, zone), DeadlineKind.EvaluationOverdue);
        }
    }

    private static DateTimeOffset Schedule(DateOnly day, TimeOnly time, TimeZoneInfo zone) =>
        Agreements.Schedule.ToInstant(day.ToDateTime(time), zone);

    private static DateTimeOffset Latest(DateTimeOffset first, params DateTimeOffset?[] others) =>
        others.Where(o => o is not null).Select(o => o!.Value).Append(first).Max();
}
