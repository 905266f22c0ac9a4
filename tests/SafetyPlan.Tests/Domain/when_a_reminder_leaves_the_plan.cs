using Marten;
using SafetyPlan.Agreements;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using SafetyPlan.Scheduling;
using Weasel.Core;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// A check-in reminder leaves the plan document once its delivery ended and its occurrence is settled, counted in
/// <see cref="Plan.RemindersSettled"/> (Notifications/Plan.Notifications.cs): what keeps a plan with reminders on small
/// for years, while every decision that reads reminders still decides the same.
/// </summary>
public sealed class when_a_reminder_leaves_the_plan
{
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset RemindedAt = new(2027, 1, 4, 14, 30, 0, Winter); // daily 15:00, remindBefore PT30M
    private static readonly DateTimeOffset Occurrence = RemindedAt.AddMinutes(30);

    private static string Key(DateTimeOffset occurrence, NotificationChannel channel) =>
        Notify.Key(NotificationSubject.CheckInReminder, Notify.OccurrenceReference(PickUp, occurrence), $"member/{Oma}", channel);

    private static IEnumerable<Delivery> RemindersIn(Plan plan) => plan.Deliveries.Values.Where(d => d.Subject == NotificationSubject.CheckInReminder);

    /// <summary>The active plan after the sweep queued the reminder of Monday 15:00, by e-mail and push.</summary>
    private static Plan Reminded()
    {
        var plan = Active();
        return plan.With(Sweep.Decide(plan, RemindedAt).Events);
    }

    private static object CheckIn(DateTimeOffset occurrence, DateTimeOffset at) =>
        new CheckInLogged(Guid.NewGuid(), $"c-{occurrence.UtcTicks}", PickUp, Oma, CheckInOutcome.Kept, null, occurrence, at);

    [Fact]
    public void a_reminder_that_ended_stays_while_its_occurrence_is_open_and_leaves_counted_when_it_is_reported_on()
    {
        var plan = Reminded().With([
            new NotificationSent(Key(Occurrence, NotificationChannel.Email), "riet@example.org", RemindedAt.AddSeconds(5)),
            new NotificationSkipped(Key(Occurrence, NotificationChannel.Push), PushDispatch.NoSubscription, RemindedAt.AddSeconds(6))]);
        RemindersIn(plan).Select(d => d.Status).ShouldBe([DeliveryStatus.Sent, DeliveryStatus.Skipped], ignoreOrder: true);
        plan.RemindersSettled.ShouldBe(SettledReminders.None);

        plan = plan.With([CheckIn(Occurrence, Occurrence.AddMinutes(-5))]);

        RemindersIn(plan).ShouldBeEmpty();
        plan.RemindersSettled.ShouldBe(new SettledReminders(Sent: 1, Skipped: 1, Failed: 0));
    }

    [Fact]
    public void a_reminder_still_queued_when_its_occurrence_is_reported_on_leaves_when_the_dispatcher_records_its_end()
    {
        var plan = Reminded().With([CheckIn(Occurrence, RemindedAt.AddMinutes(1))]);
        var queued = RemindersIn(plan).ToList();
        queued.ShouldAllBe(d => d.Status == DeliveryStatus.Queued);
        queued.Count.ShouldBe(2);

        // What the dispatcher records for it (RecordDelivery): skipped, as no longer needed.
        foreach (var reminder in queued)
            plan = plan.With(RecordDelivery.Decide(plan, reminder.Key, new DeliveryAttempt.Skipped(Notify.NoLongerWanted(plan, reminder, RemindedAt.AddMinutes(2))!),
                RemindedAt.AddMinutes(2)).Events);

        RemindersIn(plan).ShouldBeEmpty();
        plan.RemindersSettled.ShouldBe(new SettledReminders(0, 2, 0));
        // An outcome recorded again (a retry of the dispatcher) changes nothing and is answered as before.
        var again = RecordDelivery.Decide(plan, queued[0].Key, new DeliveryAttempt.Sent("riet@example.org"), RemindedAt.AddMinutes(3));
        again.Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_reminder_of_a_missed_occurrence_leaves_and_one_that_did_not_arrive_stays_in_sight_while_the_member_stays_unreachable_by_email()
    {
        var plan = Reminded().With([
            new NotificationAbandoned(Key(Occurrence, NotificationChannel.Email), AbandonReason.Refused, "smtp-550", 1, RemindedAt.AddSeconds(5)),
            new NotificationSkipped(Key(Occurrence, NotificationChannel.Push), PushDispatch.NoSubscription, RemindedAt.AddSeconds(6))]);

        var missedAt = Occurrence.AddHours(4);
        var swept = Sweep.Decide(plan, missedAt).Events;
        swept.OfType<CheckInMissed>().Single().Occurrence.ShouldBe(Occurrence);
        plan = plan.With(swept);

        RemindersIn(plan).Where(d => d.Reference == Notify.OccurrenceReference(PickUp, Occurrence)).Select(d => (d.Channel, d.Status, d.Failure))
            .ShouldBe([(NotificationChannel.Email, DeliveryStatus.Failed, (string?)"smtp-550")]);
        plan.RemindersSettled.ShouldBe(new SettledReminders(0, 1, 0));
        plan.ActiveMember(Oma)!.EmailRefused.ShouldBe("smtp-550");
    }

    [Fact]
    public void of_the_failed_reminders_of_settled_occurrences_the_latest_twenty_stay_and_the_older_ones_leave_counted()
    {
        // Oma's address is refused for good: each day's reminder e-mail fails, and she reports anyway.
        var plan = Active();
        for (var day = 0; day < Plan.FailedRemindersKept + 5; day++)
        {
            var next = Deadlines.Upcoming(plan).Single(d => d.Kind == DeadlineKind.CheckInReminder);
            var (remindAt, occurrence) = (next.DueAt, next.Occurrence!.Value);
            plan = plan.With(Sweep.Decide(plan, remindAt).Events);
            plan = plan.With([
                new NotificationAbandoned(Key(occurrence, NotificationChannel.Email), AbandonReason.Refused, "smtp-550", 1, remindAt.AddSeconds(5)),
                new NotificationSkipped(Key(occurrence, NotificationChannel.Push), PushDispatch.NoSubscription, remindAt.AddSeconds(6)),
                CheckIn(occurrence, occurrence.AddMinutes(-5))]);
        }

        var kept = RemindersIn(plan).ToList();
        kept.Count.ShouldBe(Plan.FailedRemindersKept);
        kept.ShouldAllBe(d => d.Status == DeliveryStatus.Failed && d.Channel == NotificationChannel.Email);
        kept.Select(d => d.QueuedAt).ShouldBe(kept.Select(d => d.QueuedAt).Order()); // the latest, in the order they were queued
        kept[0].Reference.ShouldBe(Notify.OccurrenceReference(PickUp, Occurrence.AddDays(5)));
        plan.RemindersSettled.ShouldBe(new SettledReminders(Sent: 0, Skipped: Plan.FailedRemindersKept + 5, Failed: 5));
    }

    [Fact]
    public void a_reminder_of_an_occurrence_that_is_not_settled_stays_however_it_ended()
    {
        // Reported on for Tuesday ahead of time: Monday's occurrence is still open, and its reminder stays.
        var tuesday = Occurrence.AddDays(1);
        var plan = Reminded().With([
            new NotificationSent(Key(Occurrence, NotificationChannel.Email), "riet@example.org", RemindedAt.AddSeconds(5)),
            new NotificationSkipped(Key(Occurrence, NotificationChannel.Push), PushDispatch.NoSubscription, RemindedAt.AddSeconds(6)),
            CheckIn(tuesday, RemindedAt.AddMinutes(1))]);

        RemindersIn(plan).Count().ShouldBe(2);
        plan.RemindersSettled.ShouldBe(SettledReminders.None);
        // The rule still sees Monday's reminder as sent: it is not queued again.
        Reminders.Next(plan, plan.FindAgreement(PickUp)!).ShouldNotBe(Occurrence);
    }

    [Fact]
    public void a_year_of_daily_reminders_leaves_only_the_open_occurrences_reminders_and_queues_none_twice()
    {
        // Every day the sweep reminds half an hour before 15:00 (in Amsterdam, across the clock changes) and the dispatcher
        // sends the e-mail and skips the push; Oma reports ten minutes ahead on four days of five and misses the fifth
        // (the sweep records it when the grace period ends).
        var plan = Active();
        var queuedKeys = new List<string>();
        var (reported, missed) = (0, 0);
        for (var day = 0; day < 365; day++)
        {
            var next = Deadlines.Upcoming(plan).Single(d => d.Kind == DeadlineKind.CheckInReminder);
            var (remindAt, occurrence) = (next.DueAt, next.Occurrence!.Value);
            var reminded = Sweep.Decide(plan, remindAt).Events;
            reminded.ShouldContain(e => e is NotificationQueued);
            queuedKeys.AddRange(reminded.OfType<NotificationQueued>().Where(n => n.Subject == NotificationSubject.CheckInReminder).Select(n => n.Key));
            plan = plan.With(reminded);
            foreach (var reminder in RemindersIn(plan).Where(d => d.Status == DeliveryStatus.Queued).ToList())
                plan = plan.With(RecordDelivery.Decide(plan, reminder.Key,
                    reminder.Channel == NotificationChannel.Email ? new DeliveryAttempt.Sent("riet@example.org") : new DeliveryAttempt.Skipped(PushDispatch.NoSubscription),
                    remindAt.AddSeconds(5)).Events);
            if (day % 5 == 4)
            {
                plan = plan.With(Sweep.Decide(plan, occurrence.AddHours(4)).Events);
                missed++;
            }
            else
            {
                plan = plan.With(LogCheckIn.Decide(plan, new LogCheckIn(PlanId, Guid.NewGuid(), $"c{day}", PickUp, Oma, CheckInOutcome.Kept, null, occurrence, OmaOnHerPhone),
                    occurrence.AddMinutes(-10)).Events);
                reported++;
            }
        }

        queuedKeys.Count.ShouldBe(2 * 365);
        queuedKeys.Distinct().Count().ShouldBe(queuedKeys.Count);
        (reported, missed).ShouldBe((292, 73));
        plan.FindAgreement(PickUp)!.Occurrences.Last().Occurrence.ShouldBe(new DateTimeOffset(2028, 1, 3, 15, 0, 0, Winter));
        RemindersIn(plan).ShouldBeEmpty();
        plan.RemindersSettled.ShouldBe(new SettledReminders(Sent: 365, Skipped: 365, Failed: 0));
        var agreement = plan.FindAgreement(PickUp)!;
        (agreement.Occurrences.Count(o => o.Outcome is not null), agreement.Occurrences.Count(o => o.Missed)).ShouldBe((292, 73));
    }

    [Fact]
    public void the_counts_are_stored_with_the_document_and_read_back()
    {
        var serializer = new Marten.Services.SystemTextJsonSerializer { EnumStorage = EnumStorage.AsString, Casing = Casing.CamelCase };
        var plan = Reminded().With([
            new NotificationSent(Key(Occurrence, NotificationChannel.Email), "riet@example.org", RemindedAt.AddSeconds(5)),
            new NotificationAbandoned(Key(Occurrence, NotificationChannel.Push), AbandonReason.RetriesExhausted, "http-503", 7, RemindedAt.AddHours(1)),
            CheckIn(Occurrence, Occurrence.AddMinutes(-5))]);

        var json = serializer.ToJson(plan);
        var read = serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));

        json.ShouldContain("\"remindersSettled\":{\"sent\":1,\"skipped\":0,\"failed\":0}");
        read.RemindersSettled.ShouldBe(new SettledReminders(1, 0, 0));
        RemindersIn(read).Single().Failure.ShouldBe("http-503"); // a failed one stays in sight
        // A document stored before reminders left has no counts: it reads as none.
        serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.Replace(",\"remindersSettled\":{\"sent\":1,\"skipped\":0,\"failed\":0}", ""))))
            .RemindersSettled.ShouldBe(SettledReminders.None);
    }

    [Fact]
    public void a_plan_read_back_and_its_replay_list_the_deliveries_that_stay_in_the_same_order()
    {
        // The monitor is reminded of the evaluation after a day's reminders left: the document read back (as Marten does
        // before every append) and a replay of all events must hold the same deliveries in the same order, although the
        // replay's entries were removed in memory where the document's were never written.
        var serializer = new Marten.Services.SystemTextJsonSerializer { EnumStorage = EnumStorage.AsString, Casing = Casing.CamelCase };
        Plan ReadBack(Plan p) => serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(serializer.ToJson(p))));
        var events = new List<object>(ActivePlan());
        var stored = ReadBack(Build(events));
        for (var day = 0; day < 3; day++)
        {
            var remindAt = RemindedAt.AddDays(day);
            var today = new List<object>();
            if (day == 1) today.AddRange(Notify.ProfessionalAndOrganisation(NotificationSubject.EvaluationReminder, "2027-03-01/7", "anna", remindAt));
            today.AddRange(Sweep.Decide(Build(events), remindAt).Events);
            var afterQueueing = Build([.. events, .. today]);
            today.AddRange(afterQueueing.Deliveries.Values.Where(d => d.Status == DeliveryStatus.Queued && d.Subject == NotificationSubject.CheckInReminder)
                .Select(d => new NotificationSent(d.Key, "riet@example.org", remindAt.AddSeconds(5))));
            today.Add(CheckIn(Occurrence.AddDays(day), Occurrence.AddDays(day).AddMinutes(-5)));
            foreach (var e in today)
            {
                events.Add(e);
                stored = ReadBack(stored.With([e]));
                serializer.ToJson(stored).ShouldBe(serializer.ToJson(Build(events)), $"day {day}, after {e.GetType().Name}");
            }
        }
        var replayed = Build(events);
        replayed.Deliveries.Values.Select(d => (d.Subject, d.Channel))
            .ShouldBe([(NotificationSubject.EvaluationReminder, NotificationChannel.Email), (NotificationSubject.EvaluationReminder, NotificationChannel.Push),
                (NotificationSubject.EvaluationReminder, NotificationChannel.Webhook)]);
        replayed.RemindersSettled.ShouldBe(new SettledReminders(Sent: 6, Skipped: 0, Failed: 0));
    }

    [Fact]
    public void a_document_stored_before_reminders_left_lets_its_settled_ones_leave_when_read_as_a_replay_would()
    {
        var serializer = new Marten.Services.SystemTextJsonSerializer { EnumStorage = EnumStorage.AsString, Casing = Casing.CamelCase };
        var sent = Reminded().With([
            new NotificationSent(Key(Occurrence, NotificationChannel.Email), "riet@example.org", RemindedAt.AddSeconds(5)),
            new NotificationSkipped(Key(Occurrence, NotificationChannel.Push), PushDispatch.NoSubscription, RemindedAt.AddSeconds(6))]);
        var deliveriesBefore = System.Text.Json.Nodes.JsonNode.Parse(serializer.ToJson(sent))!["deliveries"]!.ToJsonString();
        var replayed = sent.Copy().With([CheckIn(Occurrence, Occurrence.AddMinutes(-5)), CheckIn(Occurrence.AddDays(1), Occurrence.AddDays(1).AddMinutes(-5))]);
        // The same plan as an earlier version stored it: every delivery kept, no counts.
        var earlier = System.Text.Json.Nodes.JsonNode.Parse(serializer.ToJson(replayed))!.AsObject();
        earlier["deliveries"] = System.Text.Json.Nodes.JsonNode.Parse(deliveriesBefore);
        earlier.Remove("remindersSettled");

        var read = serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(earlier.ToJsonString())));

        RemindersIn(read).ShouldBeEmpty();
        read.RemindersSettled.ShouldBe(new SettledReminders(1, 1, 0));
        serializer.ToJson(read).ShouldBe(serializer.ToJson(replayed));
        // A document stored since, with its counts, is read as it is: nothing leaves on reading.
        var open = serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(serializer.ToJson(sent))));
        RemindersIn(open).Count().ShouldBe(2);
    }

    [Fact]
    public void the_status_counts_the_reminders_that_left_for_professionals_and_shows_a_member_neither()
    {
        var plan = Reminded().With([
            new NotificationSent(Key(Occurrence, NotificationChannel.Email), "riet@example.org", RemindedAt.AddSeconds(5)),
            new NotificationSkipped(Key(Occurrence, NotificationChannel.Push), PushDispatch.NoSubscription, RemindedAt.AddSeconds(6)),
            CheckIn(Occurrence, Occurrence.AddMinutes(-5))]);
        var now = Occurrence.AddHours(1);

        var status = PlanStatusView.Status(plan, now);
        status.RemindersSettled.ShouldBe(new SettledReminders(1, 1, 0));
        status.Notifications.ShouldNotContain(n => n.Subject == NotificationSubject.CheckInReminder);
        PlanStatusView.Status(plan, now, forMember: Oma).RemindersSettled.ShouldBeNull();
    }

    [Fact]
    public void a_queued_reminder_cannot_be_counted_as_ended()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => SettledReminders.None.Count(DeliveryStatus.Queued));
    }
}

/// <summary>The dispatcher's words for a push delivery without a subscription.</summary>
file static class PushDispatch
{
    public const string NoSubscription = NotificationDispatcher.NoPushSubscription;
}
