using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Plans;
using SafetyPlan.Scheduling;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>The sweep's decision, without a database: what the passing of time appends to a plan.</summary>
public sealed class when_time_passes_for_a_plan
{
    private static Plan Swept(Plan plan, DateTimeOffset now) => plan.With(Sweep.Decide(plan, now).Events);

    [Fact]
    public void each_occurrence_whose_grace_ends_without_a_check_in_is_missed_once()
    {
        var plan = Active(new BottomLineRule(RuleKind.MissedInARow, Count: 3));

        var decision = Sweep.Decide(plan, Monday.AddDays(3)); // Mon, Tue, Wed 15:00 + 4h have passed; Thu not yet
        decision.Events.OfType<CheckInMissed>().Select(m => m.Occurrence.Day).ShouldBe([4, 5, 6]);
        decision.Events.OfType<EscalationRaised>().Count().ShouldBe(1);
        decision.Events.OfType<NotificationQueued>().Single(n => n.Channel == NotificationChannel.Email).RecipientUserId.ShouldBe("anna");

        Given(plan).And([.. decision.Events])
            .When(p => Sweep.Decide(p, Monday.AddDays(3)))
            .Then(); // a re-run adds nothing
    }

    [Fact]
    public void a_checked_in_occurrence_is_not_missed_and_breaks_the_run()
    {
        var plan = Active(new BottomLineRule(RuleKind.MissedInARow, Count: 2));
        plan.With([new CheckInLogged(Guid.NewGuid(), "c", PickUp, Oma, CheckInOutcome.Kept, null, new DateTimeOffset(2027, 1, 5, 15, 0, 0, TimeSpan.FromHours(1)), Monday.AddDays(1))]);

        var decision = Sweep.Decide(plan, Monday.AddDays(3));
        decision.Events.OfType<CheckInMissed>().Select(m => m.Occurrence.Day).ShouldBe([4, 6]);
        decision.Events.OfType<EscalationRaised>().ShouldBeEmpty();
    }

    [Fact]
    public void an_unacknowledged_escalation_passes_to_the_backup_once_and_an_acknowledged_one_does_not()
    {
        var plan = Swept(Active(new BottomLineRule(RuleKind.MissedInARow, Count: 1)), Monday.AddHours(12)); // Monday's pick-up missed at 19:00
        var escalation = plan.Escalations.Single();
        escalation.AcknowledgeBy.ShouldBe(Monday.AddHours(12) + TimeSpan.FromHours(4));

        var passed = Sweep.Decide(plan, escalation.AcknowledgeBy).Events.OfType<EscalationPassedToBackup>().Single();
        passed.RecipientId.ShouldBe("bart");

        var acknowledged = Active(new BottomLineRule(RuleKind.MissedInARow, Count: 1));
        Swept(acknowledged, Monday.AddHours(12));
        var id = acknowledged.Escalations.Single().Id;
        acknowledged.With([new EscalationAcknowledged(id, "anna", null, Monday.AddHours(13))]);
        Sweep.Decide(acknowledged, Monday.AddHours(17)).Events.OfType<EscalationPassedToBackup>().ShouldBeEmpty();
    }

    [Fact]
    public void silence_for_the_rules_time_crosses_the_bottom_line()
    {
        var plan = Active(new BottomLineRule(RuleKind.Silence, For: TimeSpan.FromHours(72)));
        plan.Agreements.Clear(); // only silence matters here

        Sweep.Decide(plan, Monday.AddHours(71)).Events.ShouldBeEmpty();
        var crossed = Sweep.Decide(plan, Monday.AddHours(72)).Events;
        crossed.OfType<BottomLineCrossed>().Single().BreachId.ShouldBeNull();
        crossed.OfType<EscalationRaised>().Count().ShouldBe(1);
    }

    [Fact]
    public void reminders_come_seven_days_and_one_day_before_the_evaluation_and_overdue_the_day_after()
    {
        var plan = Active(); // evaluation due 2027-03-01
        plan.Agreements.Clear();
        var amsterdam = TimeSpan.FromHours(1);

        Sweep.Decide(plan, new DateTimeOffset(2027, 2, 22, 8, 59, 0, amsterdam)).Events.ShouldBeEmpty();
        Swept(plan, new DateTimeOffset(2027, 2, 22, 9, 0, 0, amsterdam)).RemindersSent.ShouldBe(["2027-03-01/7"]);
        Swept(plan, new DateTimeOffset(2027, 2, 28, 9, 0, 0, amsterdam)).RemindersSent.ShouldBe(["2027-03-01/7", "2027-03-01/1"]);
        Sweep.Decide(plan, new DateTimeOffset(2027, 3, 1, 23, 59, 0, amsterdam)).Events.ShouldBeEmpty();
        var overdue = Sweep.Decide(plan, new DateTimeOffset(2027, 3, 2, 0, 0, 0, amsterdam)).Events;
        overdue.OfType<EvaluationOverdue>().Single().EvaluationDue.ShouldBe(new DateOnly(2027, 3, 1));
    }

    [Fact]
    public void on_the_night_summer_time_starts_an_agreement_at_0230_is_due_at_0300()
    {
        var plan = Active();
        var night = plan.Agreements.Single();
        night.Schedule = new Schedule(Daily: new TimeOnly(2, 30));
        night.Grace = TimeSpan.FromHours(1);
        var saturdayNoon = new DateTimeOffset(2027, 3, 27, 12, 0, 0, TimeSpan.FromHours(1));
        plan.AgreedAt = saturdayNoon;

        var missed = Sweep.Decide(plan, new DateTimeOffset(2027, 3, 28, 12, 0, 0, TimeSpan.FromHours(2))).Events.OfType<CheckInMissed>().Single();
        missed.Occurrence.ShouldBe(new DateTimeOffset(2027, 3, 28, 3, 0, 0, TimeSpan.FromHours(2)));
        missed.DueBy.ShouldBe(new DateTimeOffset(2027, 3, 28, 4, 0, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void on_the_night_summer_time_ends_an_agreement_at_0230_occurs_once()
    {
        var plan = Active();
        var night = plan.Agreements.Single();
        night.Schedule = new Schedule(Daily: new TimeOnly(2, 30));
        night.Grace = TimeSpan.FromHours(1);
        plan.AgreedAt = new DateTimeOffset(2027, 10, 30, 12, 0, 0, TimeSpan.FromHours(2));

        var missed = Sweep.Decide(plan, new DateTimeOffset(2027, 10, 31, 12, 0, 0, TimeSpan.FromHours(1))).Events.OfType<CheckInMissed>().ToList();
        missed.Count.ShouldBe(1);
        missed[0].Occurrence.ShouldBe(new DateTimeOffset(2027, 10, 31, 2, 30, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void breaches_are_judged_on_when_they_happened_whether_the_clock_jumps_or_steps()
    {
        var rule = new BottomLineRule(RuleKind.Breaches, PickUp, Count: 2, Within: TimeSpan.FromHours(12));
        var jumped = Sweep.Decide(Active(rule), Monday.AddDays(3)).Events; // three evenings missed at once, a day apart
        var stepped = Active(rule);
        for (var day = 1; day <= 3; day++) Swept(stepped, Monday.AddDays(day));

        jumped.OfType<BreachRecorded>().Select(b => b.Date).ShouldBe([Monday.AddHours(11), Monday.AddHours(35), Monday.AddHours(59)]); // 19:00 each day
        jumped.OfType<EscalationRaised>().ShouldBeEmpty();
        stepped.Escalations.ShouldBeEmpty();
    }

    [Fact]
    public void after_an_escalation_is_resolved_its_bottom_line_counts_afresh()
    {
        var plan = Active(new BottomLineRule(RuleKind.MissedInARow, PickUp, Count: 2));
        var escalations = new List<int>();
        void MissDay(int day)
        {
            Swept(plan, Monday.AddDays(day).AddHours(12)); // that day's pick-up missed at 19:00
            escalations.Add(plan.Escalations.Count);
        }

        MissDay(0);
        MissDay(1);
        var raised = plan.Escalations.Single().Id;
        plan.With([new EscalationAcknowledged(raised, "anna", null, Monday.AddDays(1).AddHours(13)),
            new EscalationResolved(raised, "anna", "Gesprek met oma", Monday.AddDays(1).AddHours(14))]);
        MissDay(2);
        MissDay(3);

        escalations.ShouldBe([0, 1, 1, 2]);
    }

    [Fact]
    public void an_open_escalation_of_a_closed_plan_still_passes_to_the_backup()
    {
        var plan = Swept(Active(new BottomLineRule(RuleKind.MissedInARow, Count: 1)), Monday.AddHours(12));
        plan.With([new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Close, "Gesloten voor 2026-11-29", null, 1, Monday.AddHours(13))]); // as older versions allowed

        Sweep.Decide(plan, plan.Escalations.Single().AcknowledgeBy).Events.OfType<EscalationPassedToBackup>().Single().RecipientId.ShouldBe("bart");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void a_report_at_the_same_moment_as_a_miss_does_not_hide_it_whichever_agreement_was_made_first(bool pickUpFirst)
    {
        // Oma's pick-up daily at 15:00; mother calls on Mondays at 15:00; two missed in a row across agreements.
        var call = Guid.Parse("55555555-5555-5555-5555-555555555555");
        var pickUp = new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday);
        var calls = new AgreementMade(call, "Moeder belt", Oma, null, new Schedule(Weekly: [DayOfWeek.Monday], At: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday);
        var monday1500 = Monday.AddHours(7);
        var plan = Build([
            .. DraftedPlan(),
            .. pickUpFirst ? [pickUp, calls] : new[] { calls, pickUp },
            new BottomLineSet(Guid.NewGuid(), "Ingrijpen", new BottomLineRule(RuleKind.MissedInARow, Count: 2), TimeSpan.FromHours(4), Monday),
            new PlanAgreed(new DateOnly(2027, 3, 1), Monday),
            new CheckInLogged(Guid.NewGuid(), "call", call, Oma, CheckInOutcome.Kept, null, monday1500, monday1500),
        ]);

        Swept(plan, Monday.AddDays(1).AddHours(12)); // Monday's and Tuesday's pick-ups missed

        plan.Escalations.Count.ShouldBe(1);
    }
}
