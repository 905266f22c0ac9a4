using SafetyPlan.BottomLines;
using SafetyPlan.Notifications;

namespace SafetyPlan.Scheduling;

public sealed record SweepResult(int Events);

/// <summary>
/// What time passing does to a plan: every deadline due by <c>now</c>, earliest first, becomes events through the same
/// rules as the commands (a missed check-in is a breach that may cross bottom lines, exactly like a not-kept one).
/// Pure and idempotent: once its events are appended, the same plan has no due deadlines left, so a re-run adds nothing.
/// Notifications due for delivery are not events of the sweep; the dispatcher delivers them.
/// </summary>
public static class Sweep
{
    private const int MaxSteps = 5000;

    /// <summary>Whether time passing has anything to record on this plan by <paramref name="now"/> (deliveries aside).</summary>
    public static bool HasWorkDue(Plan plan, DateTimeOffset now) =>
        plan.NextDeadlineAt <= now && Deadlines.Upcoming(plan).Any(d => IsDue(plan, d, now));

    /// <summary>
    /// Whether the sweep acts on this deadline at <paramref name="now"/>: due, not a delivery (the dispatcher's), and not a
    /// reminder for an occurrence whose window has closed (<see cref="Reminders.IsStale"/>): that occurrence's missed
    /// check-in is due too and settles it, after which the agreement's next reminder is the next occurrence's.
    /// </summary>
    private static bool IsDue(Plan plan, Deadline d, DateTimeOffset now) =>
        d.Kind != DeadlineKind.Delivery && d.DueAt <= now
        && !(d.Kind == DeadlineKind.CheckInReminder && Reminders.IsStale(plan.FindAgreement(d.Ref!.Value)!, d.Occurrence!.Value, now));

    /// <param name="dutyUserId">the plan's organisation's duty professional (<c>Organisation.DutyUserId</c>), null when it names none: the ladder's last step goes to them</param>
    public static Decision<SweepResult> Decide(Plan? plan, DateTimeOffset now, string? dutyUserId = null)
    {
        if (plan is null) return Decision.Accept(new SweepResult(0));
        // Decisions must not touch the plan they were given: Marten applies the appended events to that instance itself.
        var working = plan.Copy();
        var events = new List<object>();
        for (var step = 0; step < MaxSteps; step++)
        {
            var next = Deadlines.Upcoming(working)
                .Where(d => IsDue(working, d, now))
                .MinBy(d => d.DueAt);
            if (next is null) break;

            var produced = Handle(working, next, now, dutyUserId).ToList();
            foreach (var e in produced) Plan.Evolve(working, e);
            events.AddRange(produced);
        }
        return Decision.Accept(new SweepResult(events.Count), events);
    }

    private static IEnumerable<object> Handle(Plan plan, Deadline deadline, DateTimeOffset now, string? dutyUserId)
    {
        switch (deadline.Kind)
        {
            case DeadlineKind.CheckInDue:
            {
                // Dated when it happened, the end of the grace period, however late the sweep runs (domain.md).
                var agreementId = deadline.Ref!.Value;
                var occurrence = deadline.Occurrence!.Value;
                var missedId = DerivedId.From(agreementId, occurrence.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var breach = new BreachRecorded(DerivedId.From(missedId, "breach"), BreachKind.Missed, agreementId, missedId, null, now,
                    OccurredAt: deadline.DueAt, Occurrence: occurrence);
                // The watchers hear of it whatever the bottom lines say (domain.md, "The network in the loop").
                return [new CheckInMissed(agreementId, occurrence, deadline.DueAt, now), breach, .. BottomLineCrossings.Follow(plan, breach, now),
                    .. Notify.Slipped(plan, plan.FindAgreement(agreementId)!, occurrence, now)];
            }
            case DeadlineKind.CheckInReminder:
                return Notify.CheckInReminder(plan, plan.FindAgreement(deadline.Ref!.Value)!, deadline.Occurrence!.Value, now);
            case DeadlineKind.Silence:
            {
                var bottomLine = plan.FindBottomLine(deadline.Ref!.Value)!;
                var escalationId = DerivedId.From(bottomLine.Id, deadline.DueAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return BottomLineCrossings.Cross(plan, bottomLine, null, escalationId,
                    $"{bottomLine.Rule.Describe()} (silent since {(deadline.DueAt - bottomLine.Rule.For!.Value).UtcDateTime:yyyy-MM-dd HH:mm} UTC)", deadline.DueAt, now);
            }
            case DeadlineKind.AcknowledgeBy:
            {
                var escalation = plan.FindEscalation(deadline.Ref!.Value)!;
                var recipient = escalation.BackupId ?? escalation.MonitorId;
                return [new EscalationPassedToBackup(escalation.Id, recipient, now),
                    .. Notify.ProfessionalAndOrganisation(NotificationSubject.EscalationPassedToBackup, escalation.Id.ToString(), recipient, now)];
            }
            case DeadlineKind.PassToDuty:
            {
                var escalation = plan.FindEscalation(deadline.Ref!.Value)!;
                return dutyUserId is null
                    ? [new EscalationPassedToDuty(escalation.Id, null, now)]
                    : [new EscalationPassedToDuty(escalation.Id, dutyUserId, now),
                        .. Notify.ProfessionalAndOrganisation(NotificationSubject.EscalationPassedToDuty, escalation.Id.ToString(), dutyUserId, now)];
            }
            case DeadlineKind.EvaluationReminder:
            {
                var due = plan.EvaluationDue!.Value;
                var days = deadline.DaysBefore!.Value;
                return [new EvaluationReminderDue(due, days, now), .. Notify.EvaluationReminder(plan, Deadlines.ReminderKey(due, days), now)];
            }
            case DeadlineKind.EvaluationOverdue:
            {
                var due = plan.EvaluationDue!.Value;
                return [new EvaluationOverdue(due, now), .. Notify.ProfessionalAndOrganisation(NotificationSubject.EvaluationOverdue, $"{due:yyyy-MM-dd}", plan.MonitorId, now)];
            }
            case DeadlineKind.ConferenceOverdue:
            {
                var due = plan.ConferenceDue!.Value;
                return [new ConferenceOverdue(due, now), .. Notify.ProfessionalAndOrganisation(NotificationSubject.ConferenceOverdue, $"{due:yyyy-MM-dd}", plan.MonitorId, now)];
            }
            default:
                return [];
        }
    }
}
