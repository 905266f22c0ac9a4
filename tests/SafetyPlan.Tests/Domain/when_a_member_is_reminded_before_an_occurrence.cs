using System.Globalization;
using SafetyPlan.Agreements;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using SafetyPlan.Scheduling;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The reminder rule of the sweep (Scheduling/Reminders.cs), without a database: <c>remindBefore</c> before each
/// occurrence nobody reported on, once, to the responsible member with reminders on, never for an occurrence whose
/// window closed; and the watchers' notice when an occurrence slips.
/// </summary>
public sealed class when_a_member_is_reminded_before_an_occurrence
{
    private static readonly Guid Moeder = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1), Summer = TimeSpan.FromHours(2);

    private static Plan Swept(Plan plan, DateTimeOffset now) => plan.With(Sweep.Decide(plan, now).Events);

    private static IEnumerable<NotificationQueued> Reminders(IEnumerable<object> events) =>
        events.OfType<NotificationQueued>().Where(n => n.Subject == NotificationSubject.CheckInReminder && n.Channel == NotificationChannel.Email); // each has its push twin (Notify.PersonChannels)

    [Theory]
    // Daily at 02:30 in Amsterdam. On 28 March 2027 02:30 does not exist: the occurrence is at the first moment after
    // the gap, 03:00 summer time (01:00 UTC), reminded 45 minutes before, at 01:15 +01:00. On 31 October 2027 02:30 happens twice: the occurrence
    // is the first (00:30 UTC), reminded at 01:45 +02:00.
    [InlineData("2027-03-27T12:00:00+01:00", "2027-03-28T01:15:00+01:00", "2027-03-28T01:00:00Z")]
    [InlineData("2027-10-30T12:00:00+02:00", "2027-10-31T01:45:00+02:00", "2027-10-31T00:30:00Z")]
    public void the_reminder_comes_remind_before_ahead_of_the_occurrence_in_the_plans_zone_across_a_clock_change(string agreed, string remindAt, string occurrence)
    {
        var start = DateTimeOffset.Parse(agreed, CultureInfo.InvariantCulture);
        var plan = Build([
            new PlanDrafted(PlanId, "Plan", "Jansen", "anna", "bart", "Europe/Amsterdam", start),
            new MemberAdded(Oma, "Oma Riet", MemberRole.Network, null, null, start),
            new AgreementMade(PickUp, "Oma belt", Oma, null, new Schedule(Daily: new TimeOnly(2, 30)), TimeSpan.FromHours(4), start,
                RemindBefore: TimeSpan.FromMinutes(45)),
            new PlanAgreed(new DateOnly(2028, 1, 1), start)]);
        var due = DateTimeOffset.Parse(remindAt, CultureInfo.InvariantCulture);

        Deadlines.Upcoming(plan).Single(d => d.Kind == DeadlineKind.CheckInReminder).DueAt.ShouldBe(due);
        Reminders(Sweep.Decide(plan, due.AddSeconds(-1)).Events).ShouldBeEmpty();
        var reminder = Reminders(Sweep.Decide(plan, due).Events).Single();
        reminder.Reference.ShouldBe($"{PickUp:D}/{occurrence}");
        reminder.RecipientMemberId.ShouldBe(Oma);
        reminder.Key.ShouldBe($"checkinreminder:{PickUp:D}/{occurrence.ToLowerInvariant()}:member/{Oma}:email");
    }

    [Fact]
    public void each_occurrence_is_reminded_once_however_often_the_sweep_runs()
    {
        var plan = Active(); // daily 15:00, grace PT4H, remindBefore PT30M by default
        var remindedAt = new DateTimeOffset(2027, 1, 4, 14, 30, 0, Winter);

        var first = Sweep.Decide(plan, remindedAt).Events;
        Reminders(first).Count().ShouldBe(1);
        plan = plan.With(first);
        Sweep.Decide(plan, remindedAt).Events.ShouldBeEmpty();
        Reminders(Sweep.Decide(plan, remindedAt.AddMinutes(20)).Events).ShouldBeEmpty();
        Deadlines.Upcoming(plan).Single(d => d.Kind == DeadlineKind.CheckInReminder).DueAt.ShouldBe(remindedAt.AddDays(1));
    }

    [Fact]
    public void a_queued_reminder_is_not_sent_once_it_was_reported_on_turned_off_withdrawn_or_past()
    {
        // The reminder is queued at 14:30; its e-mail fails temporarily and is retried later (an outage of the mail server).
        var remindedAt = new DateTimeOffset(2027, 1, 4, 14, 30, 0, Winter);
        var occurrence = remindedAt.AddMinutes(30);
        var plan = Active();
        plan = plan.With(Sweep.Decide(plan, remindedAt).Events);
        var reminder = plan.Deliveries.Values.Single(d => d.Subject == NotificationSubject.CheckInReminder && d.Channel == NotificationChannel.Email);
        string? At(Plan p, DateTimeOffset now) => Notify.NoLongerWanted(p, p.Deliveries[reminder.Key], now);

        At(plan, remindedAt.AddMinutes(1)).ShouldBeNull();
        At(plan.Copy().With([new CheckInLogged(Guid.NewGuid(), "c", PickUp, Oma, CheckInOutcome.Kept, null, occurrence, remindedAt.AddMinutes(2))]), remindedAt.AddMinutes(3))
            .ShouldBe(Notify.NoLongerNeeded);
        At(plan.Copy().With([new MemberRemindersSet(Oma, false, remindedAt.AddMinutes(2))]), remindedAt.AddMinutes(3)).ShouldBe(Notify.NoLongerNeeded);
        At(plan.Copy().With([new AgreementWithdrawn(PickUp, "Klaar", remindedAt.AddMinutes(2))]), remindedAt.AddMinutes(3)).ShouldBe(Notify.NoLongerNeeded);
        // The mail server is back three hours later: the occurrence can still be reported on (grace PT4H), so it still goes ...
        At(plan, occurrence.AddHours(3)).ShouldBeNull();
        // ... but not once its window closed (at 19:00 it is missed).
        At(plan, occurrence.AddHours(4)).ShouldBe(Notify.NoLongerNeeded);
    }

    [Fact]
    public void no_reminder_for_an_occurrence_already_reported_on()
    {
        var plan = Active(); // Oma may report from 14:00 (reportFrom PT1H)
        var occurrence = new DateTimeOffset(2027, 1, 4, 15, 0, 0, Winter);
        plan = plan.With([new CheckInLogged(Guid.NewGuid(), "c", PickUp, Oma, CheckInOutcome.Kept, null, occurrence, occurrence.AddMinutes(-50))]);

        Reminders(Sweep.Decide(plan, occurrence.AddMinutes(-30)).Events).ShouldBeEmpty();
        Deadlines.Upcoming(plan).Single(d => d.Kind == DeadlineKind.CheckInReminder).Occurrence.ShouldBe(occurrence.AddDays(1));
    }

    [Fact]
    public void no_reminder_for_a_later_occurrence_reported_ahead_while_an_earlier_one_is_still_open()
    {
        // Reports open a day ahead and the reminder comes 21 hours ahead: Tuesday's reminder is due on Monday at 18:00,
        // while Monday's 15:00 is open (until 19:00) and unreported. Oma already reported on Tuesday at 16:00.
        var plan = Build([.. DraftedPlan(),
            new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday,
                ReportFrom: TimeSpan.FromDays(1), RemindBefore: TimeSpan.FromHours(21)),
            new PlanAgreed(new DateOnly(2027, 3, 1), Monday)]);
        plan = Swept(plan, Monday); // Monday's reminder (due on Sunday at 18:00) comes at once
        var tuesday = new DateTimeOffset(2027, 1, 5, 15, 0, 0, Winter);
        var ahead = LogCheckIn.Decide(plan, new LogCheckIn(PlanId, Guid.NewGuid(), "ahead", PickUp, Oma, CheckInOutcome.Kept, null, tuesday, OmaOnHerPhone),
            new DateTimeOffset(2027, 1, 4, 16, 0, 0, Winter));
        ahead.Rejection.ShouldBeNull();
        plan = plan.With(ahead.Events);

        Reminders(Sweep.Decide(plan, new DateTimeOffset(2027, 1, 4, 18, 0, 0, Winter)).Events).ShouldBeEmpty();
        Deadlines.Upcoming(plan).Single(d => d.Kind == DeadlineKind.CheckInReminder).Occurrence.ShouldBe(tuesday.AddDays(1));
    }

    [Fact]
    public void no_reminder_while_the_member_has_reminders_off_and_the_next_open_one_when_turned_on_again()
    {
        var plan = Active().With([new MemberRemindersSet(Oma, false, Monday)]);
        var occurrence = new DateTimeOffset(2027, 1, 4, 15, 0, 0, Winter);

        Reminders(Sweep.Decide(plan, occurrence).Events).ShouldBeEmpty();
        plan = plan.With([new MemberRemindersSet(Oma, true, occurrence)]);
        // Its moment has passed but it can still be reported on: it comes now.
        Reminders(Sweep.Decide(plan, occurrence).Events).Single().Reference.ShouldBe($"{PickUp:D}/2027-01-04T14:00:00Z");
    }

    [Fact]
    public void a_sweep_that_runs_late_sends_no_reminder_for_an_occurrence_whose_window_closed()
    {
        var plan = Active();
        // Three days down: Monday to Wednesday were missed; Thursday's window is still open at 16:00.
        var events = Sweep.Decide(plan, new DateTimeOffset(2027, 1, 7, 16, 0, 0, Winter)).Events;

        events.OfType<CheckInMissed>().Count().ShouldBe(3);
        Reminders(events).Select(r => r.Reference).ShouldBe([$"{PickUp:D}/2027-01-07T14:00:00Z"]);
        Sweep.Decide(plan.With(events), new DateTimeOffset(2027, 1, 7, 16, 0, 0, Winter)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_missed_occurrence_tells_each_watcher_once_but_not_the_responsible_member_nor_a_removed_watcher()
    {
        var buurman = Guid.NewGuid();
        var plan = Build([.. DraftedPlan(),
            new MemberAdded(Moeder, "Moeder", MemberRole.Parent, null, null, Monday),
            new MemberAdded(buurman, "Buurman", MemberRole.Network, null, null, Monday),
            new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday,
                Watchers: [Moeder, Oma, buurman]),
            new MemberRemoved(buurman, "Verhuisd", Monday),
            new PlanAgreed(new DateOnly(2027, 3, 1), Monday)]);
        var missedAt = new DateTimeOffset(2027, 1, 4, 19, 0, 0, Winter);

        var events = Sweep.Decide(plan, missedAt).Events;
        var slipped = events.OfType<NotificationQueued>().Where(n => n.Subject == NotificationSubject.AgreementSlipped && n.Channel == NotificationChannel.Email).ToList();
        slipped.Select(n => n.RecipientMemberId).ShouldBe([Moeder]);
        slipped.Single().Reference.ShouldBe($"{PickUp:D}/2027-01-04T14:00:00Z");

        // A late not-kept report on the same occurrence tells nobody again.
        plan = plan.With(events);
        var late = LogCheckIn.Decide(plan, new LogCheckIn(PlanId, Guid.NewGuid(), "late", PickUp, Oma, CheckInOutcome.NotKept, null,
            new DateTimeOffset(2027, 1, 4, 15, 0, 0, Winter), OmaOnHerPhone), missedAt.AddHours(1));
        late.Events.OfType<NotificationQueued>().ShouldBeEmpty();
    }

    /// <summary>Given: an agreed plan whose daily 15:00 pick-up by Oma (four hours' grace) is watched by Moeder.</summary>
    private static Plan PlanWithAWatcher() => Build([.. DraftedPlan(),
        new MemberAdded(Moeder, "Moeder", MemberRole.Parent, null, null, Monday),
        new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday, Watchers: [Moeder]),
        new PlanAgreed(new DateOnly(2027, 3, 1), Monday)]);

    /// <summary>Oma reports on the pick-up from her phone, on the occurrence whose window is open.</summary>
    private static LogCheckIn Report(string clientId, CheckInOutcome outcome) => new(PlanId, Guid.NewGuid(), clientId, PickUp, Oma, outcome, null, null, OmaOnHerPhone);

    [Fact]
    public void a_not_kept_report_tells_each_watcher_once_also_when_it_is_corrected_and_reported_not_kept_again()
    {
        var plan = PlanWithAWatcher();
        var at = new DateTimeOffset(2027, 1, 4, 15, 10, 0, Winter);

        var first = LogCheckIn.Decide(plan, Report("a", CheckInOutcome.NotKept), at);
        first.Events.OfType<NotificationQueued>().Where(n => n.Subject == NotificationSubject.AgreementSlipped && n.Channel == NotificationChannel.Email)
            .Select(n => n.RecipientMemberId).ShouldBe([Moeder]);
        plan = plan.With(first.Events);
        plan = plan.With(LogCheckIn.Decide(plan, Report("b", CheckInOutcome.Kept), at.AddMinutes(5)).Events);
        LogCheckIn.Decide(plan, Report("c", CheckInOutcome.NotKept), at.AddMinutes(10)).Events.OfType<NotificationQueued>().ShouldBeEmpty();
    }

    [Fact]
    public void a_notice_the_dispatcher_skipped_while_the_occurrence_stood_corrected_to_kept_is_queued_again_when_it_is_reported_not_kept_again()
    {
        var plan = PlanWithAWatcher();
        var at = new DateTimeOffset(2027, 1, 4, 15, 10, 0, Winter);
        static bool Slipped(NotificationQueued n) => n.Subject == NotificationSubject.AgreementSlipped;
        plan = plan.With(LogCheckIn.Decide(plan, Report("a", CheckInOutcome.NotKept), at).Events);
        plan = plan.With(LogCheckIn.Decide(plan, Report("b", CheckInOutcome.Kept), at.AddMinutes(5)).Events);

        // The dispatcher looks now: the occurrence stands kept, so the notice (e-mail and push) is skipped.
        var skipped = plan.Deliveries.Values.Where(d => d.Status == DeliveryStatus.Queued)
            .Select(d => new NotificationSkipped(d.Key, Notify.NoLongerWanted(plan, d, at.AddMinutes(6))!, at.AddMinutes(6))).ToList();
        skipped.Select(e => e.Reason).ShouldBe([Notify.NoLongerNeeded, Notify.NoLongerNeeded]);
        plan = plan.With(skipped);

        var again = LogCheckIn.Decide(plan, Report("c", CheckInOutcome.NotKept), at.AddMinutes(10)).Events;
        again.OfType<NotificationQueued>().Where(Slipped).Select(n => (n.RecipientMemberId, n.Channel))
            .ShouldBe([(Moeder, NotificationChannel.Email), (Moeder, NotificationChannel.Push)]);
        plan = plan.With(again);
        plan.Deliveries.Values.Where(d => d.Subject == NotificationSubject.AgreementSlipped)
            .ShouldAllBe(d => d.Status == DeliveryStatus.Queued && d.QueuedAt == at.AddMinutes(10) && d.LastError == null);
        plan.Deliveries.Values.ShouldAllBe(d => Notify.NoLongerWanted(plan, d, at.AddMinutes(11)) == null);
        // Queued again, it is one notice like any other: a further report queues nothing.
        LogCheckIn.Decide(plan, Report("d", CheckInOutcome.NotKept), at.AddMinutes(15)).Events.OfType<NotificationQueued>().ShouldBeEmpty();
    }

    [Fact]
    public void a_skip_judged_while_the_occurrence_stood_kept_is_not_recorded_once_it_is_reported_not_kept_again_before_the_skip_is()
    {
        // The dispatcher reads the plan while the occurrence stands corrected to kept and judges the notice no longer
        // needed; before it records that, the occurrence is reported not kept again. That report finds the notice still
        // queued, so it queues none: recording the skip then would leave the watcher never told.
        var plan = PlanWithAWatcher();
        var at = new DateTimeOffset(2027, 1, 4, 15, 10, 0, Winter);
        plan = plan.With(LogCheckIn.Decide(plan, Report("a", CheckInOutcome.NotKept), at).Events);
        plan = plan.With(LogCheckIn.Decide(plan, Report("b", CheckInOutcome.Kept), at.AddMinutes(5)).Events);
        var asRead = plan.Copy();
        var again = LogCheckIn.Decide(plan, Report("c", CheckInOutcome.NotKept), at.AddMinutes(6)).Events;
        again.OfType<NotificationQueued>().ShouldBeEmpty();
        plan = plan.With(again);

        var notice = asRead.Deliveries.Values.First(d => d.Subject == NotificationSubject.AgreementSlipped && d.Channel == NotificationChannel.Email);
        var reason = Notify.NoLongerWanted(asRead, notice, at.AddMinutes(7));
        reason.ShouldBe(Notify.NoLongerNeeded);
        var recorded = RecordDelivery.Decide(plan, notice.Key, new DeliveryAttempt.Skipped(reason!), at.AddMinutes(7));

        (recorded.Result, recorded.Events.Count).ShouldBe((DeliveryOutcome.Retrying, 0));
        plan.Deliveries[notice.Key].Status.ShouldBe(DeliveryStatus.Queued);
        Notify.NoLongerWanted(plan, plan.Deliveries[notice.Key], at.AddMinutes(7)).ShouldBeNull();
        // Judged on the plan as it is, the skip is recorded as before.
        var corrected = plan.Copy().With(LogCheckIn.Decide(plan, Report("d", CheckInOutcome.Kept), at.AddMinutes(8)).Events);
        RecordDelivery.Decide(corrected, notice.Key, new DeliveryAttempt.Skipped(Notify.NoLongerNeeded), at.AddMinutes(9)).Events
            .ShouldBe([new NotificationSkipped(notice.Key, Notify.NoLongerNeeded, at.AddMinutes(9))]);
    }

    [Fact]
    public void the_inbox_item_of_a_notice_queued_again_is_queued_again_and_no_other_repeat_changes_an_item()
    {
        var inbox = new NotificationInboxProjection();
        var queued = new NotificationQueued("k", NotificationSubject.AgreementSlipped, "r", null, Oma, NotificationChannel.Email, Monday.AddHours(1));
        var skipped = new InboxItem { Subject = NotificationSubject.AgreementSlipped, Delivery = DeliveryStatus.Skipped, LastError = Notify.NoLongerNeeded, QueuedAt = Monday };
        inbox.Apply(skipped, queued);
        (skipped.Delivery, skipped.QueuedAt, skipped.LastError).ShouldBe((DeliveryStatus.Queued, Monday.AddHours(1), (string?)null));

        var sent = new InboxItem { Subject = NotificationSubject.AgreementSlipped, Delivery = DeliveryStatus.Sent, QueuedAt = Monday, SentAt = Monday };
        inbox.Apply(sent, queued);
        (sent.Delivery, sent.QueuedAt).ShouldBe((DeliveryStatus.Sent, Monday));
        var reminder = new InboxItem { Subject = NotificationSubject.CheckInReminder, Delivery = DeliveryStatus.Skipped, LastError = Notify.NoLongerNeeded, QueuedAt = Monday };
        inbox.Apply(reminder, queued with { Subject = NotificationSubject.CheckInReminder });
        reminder.Delivery.ShouldBe(DeliveryStatus.Skipped);
    }

    [Fact]
    public void telling_a_member_the_same_thing_again_queues_nothing_and_a_removed_member_is_told_nothing()
    {
        var plan = Active();
        var reference = Notifications.Notify.OccurrenceReference(PickUp, Monday);
        var first = Notifications.Notify.ToMember(plan, NotificationSubject.AgreementSlipped, reference, Oma, Monday).ToList();
        first.Select(n => n.Channel).ShouldBe([NotificationChannel.Email, NotificationChannel.Push]);

        plan = plan.With(first);
        Notifications.Notify.ToMember(plan, NotificationSubject.AgreementSlipped, reference, Oma, Monday.AddHours(1)).ShouldBeEmpty();
        Notifications.Notify.ToMember(plan, NotificationSubject.CheckInReminder, reference, Oma, Monday.AddHours(1)).Select(n => n.Channel)
            .ShouldBe([NotificationChannel.Email, NotificationChannel.Push]);
        plan = plan.With([new MemberRemoved(Oma, "Verhuisd", Monday.AddHours(2))]);
        Notifications.Notify.ToMember(plan, NotificationSubject.CheckInReminder, reference, Oma, Monday.AddHours(3)).ShouldBeEmpty();
    }
}
