using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>Check-ins by the rules of domain.md, "Rules for reports, time and alarms". Oma's pick-up is daily at 15:00 with grace PT4H, so it takes reports from 14:00 until 19:00.</summary>
public sealed class when_a_check_in_is_logged
{
    private static readonly DateTimeOffset MondayPickUp = Monday.AddHours(7); // 15:00
    private static readonly DateTimeOffset InWindow = Monday.AddHours(6.5); // 14:30

    private static LogCheckIn CheckIn(CheckInOutcome outcome, string clientId = "c1", Guid? member = null, Auth.Caller? caller = null,
        DateTimeOffset? occurrence = null, string? note = null) =>
        new(PlanId, Guid.NewGuid(), clientId, PickUp, member ?? Oma, outcome, note, occurrence, caller ?? OmaOnHerPhone);

    [Fact]
    public void a_kept_agreement_is_only_logged()
    {
        var command = CheckIn(CheckInOutcome.Kept);

        Given(ActivePlan(new BottomLineRule(RuleKind.AnyBreach, PickUp)))
            .When(plan => LogCheckIn.Decide(plan, command, InWindow))
            .Then(new CheckInLogged(command.CheckInId, "c1", PickUp, Oma, CheckInOutcome.Kept, null, MondayPickUp, InWindow, Late: false))
            .Decision.Result!.Late.ShouldBe(false);
    }

    [Fact]
    public void a_not_kept_agreement_records_a_breach_and_crosses_an_any_breach_bottom_line_once()
    {
        var plan = Active(new BottomLineRule(RuleKind.AnyBreach, PickUp));

        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.NotKept), Monday.AddHours(9));
        first.Events.Select(e => e.GetType()).ShouldBe([typeof(CheckInLogged), typeof(BreachRecorded), typeof(BottomLineCrossed), typeof(EscalationRaised), typeof(NotificationQueued), typeof(NotificationQueued), typeof(NotificationQueued)]);
        first.Events.OfType<BreachRecorded>().Single().Date.ShouldBe(MondayPickUp); // dated at its occurrence
        first.Events.OfType<BottomLineCrossed>().Single().OccurredAt.ShouldBe(MondayPickUp);
        first.Events.OfType<NotificationQueued>().Single(n => n.Channel == NotificationChannel.Email).RecipientUserId.ShouldBe("anna");
        first.Events.OfType<NotificationQueued>().Single(n => n.Channel == NotificationChannel.Push).RecipientUserId.ShouldBe("anna");
        first.Events.OfType<NotificationQueued>().Single(n => n.Channel == NotificationChannel.Webhook).RecipientUserId.ShouldBeNull();
        var raised = first.Events.OfType<EscalationRaised>().Single();
        raised.MonitorId.ShouldBe("anna");
        raised.BackupId.ShouldBe("bart");
        raised.AcknowledgeBy.ShouldBe(Monday.AddHours(13));

        var crossed = Given(plan).And([.. first.Events]);
        var again = CheckIn(CheckInOutcome.NotKept, "c2");
        crossed.When(p => LogCheckIn.Decide(p, again, Monday.AddHours(10)))
            .Then(new CheckInLogged(again.CheckInId, "c2", PickUp, Oma, CheckInOutcome.NotKept, null, MondayPickUp, Monday.AddHours(10))); // one breach per occurrence

        var tuesday = CheckIn(CheckInOutcome.NotKept, "c3");
        var (tuesdayPickUp, tuesdayAt) = (MondayPickUp.AddDays(1), Monday.AddDays(1).AddHours(7));
        crossed.When(p => LogCheckIn.Decide(p, tuesday, tuesdayAt)).Then( // still crossed: no second escalation
            new CheckInLogged(tuesday.CheckInId, "c3", PickUp, Oma, CheckInOutcome.NotKept, null, tuesdayPickUp, tuesdayAt),
            new BreachRecorded(DerivedId.From(tuesday.CheckInId, "breach"), BreachKind.NotKept, PickUp, tuesday.CheckInId, null, tuesdayAt,
                OccurredAt: tuesdayPickUp, Occurrence: tuesdayPickUp));
    }

    [Fact]
    public void the_same_decision_derives_the_same_breach_and_escalation_ids()
    {
        var plan = Active(new BottomLineRule(RuleKind.AnyBreach, PickUp));
        var command = CheckIn(CheckInOutcome.NotKept);

        var once = LogCheckIn.Decide(plan, command, Monday.AddHours(9));
        var again = LogCheckIn.Decide(plan, command, Monday.AddHours(9));

        once.Events.OfType<EscalationRaised>().Single().EscalationId.ShouldBe(again.Events.OfType<EscalationRaised>().Single().EscalationId);
        once.Events.OfType<BreachRecorded>().Single().BreachId.ShouldBe(DerivedId.From(command.CheckInId, "breach"));
    }

    [Fact]
    public void a_repeated_client_id_appends_nothing_and_answers_the_first_receipt()
    {
        var plan = Active();
        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), InWindow);
        plan.With(first.Events);

        var repeat = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.NotKept), InWindow.AddHours(1), earlier: first.Result);

        repeat.Repeated.ShouldBeTrue();
        repeat.Events.ShouldBeEmpty();
        repeat.Result.ShouldBe(first.Result);
    }

    [Fact]
    public void a_repeat_on_a_plan_closed_since_still_answers_the_first_receipt()
    {
        var plan = Active();
        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), InWindow);
        plan.With(first.Events).With([new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Close, "Klaar", null, 1, InWindow.AddHours(1))]);

        Given(plan).When(p => LogCheckIn.Decide(p, CheckIn(CheckInOutcome.Kept, "c2"), InWindow.AddHours(2))).ThenRejected(RejectionKind.Conflict);
        var repeat = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), InWindow.AddHours(2), earlier: first.Result);
        repeat.Repeated.ShouldBeTrue();
        repeat.Result.ShouldBe(first.Result);
    }

    [Fact]
    public void a_client_id_used_for_another_kind_of_report_is_a_conflict_and_appends_nothing()
    {
        var checkIn = LogCheckIn.Decide(Active(), CheckIn(CheckInOutcome.Kept), InWindow);

        var rating = Given([.. ActivePlan(), .. checkIn.Events])
            .When(plan => GiveRating.Decide(plan, new GiveRating(PlanId, Guid.NewGuid(), "c1", Oma, 7, null, OmaOnHerPhone), InWindow.AddHours(1), earlier: checkIn.Result));

        rating.ThenRejected(RejectionKind.Conflict);
        rating.Decision.Repeated.ShouldBeFalse();
    }

    [Fact]
    public void someone_who_may_not_report_is_refused_before_an_earlier_receipt_is_answered()
    {
        var first = LogCheckIn.Decide(Active(), CheckIn(CheckInOutcome.Kept), InWindow);

        var stranger = Given([.. ActivePlan(), .. first.Events])
            .When(plan => LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept, member: Guid.NewGuid()), InWindow.AddHours(1), earlier: first.Result));

        stranger.ThenRejected(RejectionKind.Forbidden);
        stranger.Decision.Repeated.ShouldBeFalse();
    }

    [Fact]
    public void a_member_cannot_report_as_someone_else()
    {
        Given(ActivePlan())
            .When(plan => LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept, member: Guid.NewGuid()), Monday))
            .ThenRejected(RejectionKind.Forbidden);
    }

    [Fact]
    public void a_professional_may_report_for_a_member()
    {
        LogCheckIn.Decide(Active(), CheckIn(CheckInOutcome.Kept, caller: TheMonitor), InWindow).Accepted.ShouldBeTrue();
    }

    [Fact]
    public void a_check_in_before_the_plan_is_agreed_or_on_a_withdrawn_agreement_is_refused()
    {
        Given(new PlanDrafted(PlanId, "Plan", "Jansen", "anna", null, "Europe/Amsterdam", Monday),
                new MemberAdded(Oma, "Oma", MemberRole.Network, null, null, Monday))
            .When(draft => LogCheckIn.Decide(draft, CheckIn(CheckInOutcome.Kept), Monday))
            .ThenRejected(RejectionKind.Conflict);

        Given([.. ActivePlan(), new AgreementWithdrawn(PickUp, "Oma verhuisd", Monday.AddHours(1))])
            .When(withdrawn => LogCheckIn.Decide(withdrawn, CheckIn(CheckInOutcome.Kept), Monday.AddHours(2)))
            .ThenRejected(RejectionKind.Conflict);
    }

    [Fact]
    public void without_a_named_occurrence_the_one_whose_window_is_open_is_reported_and_a_second_report_corrects_it()
    {
        var plan = Active();
        var afternoon = Monday.AddHours(9); // 17:00, inside today's window

        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.NotKept, "a"), afternoon);
        first.Result!.Occurrence.ShouldBe(MondayPickUp);
        var second = LogCheckIn.Decide(plan.With(first.Events), CheckIn(CheckInOutcome.Kept, "b"), afternoon.AddMinutes(5));
        second.Result!.Occurrence.ShouldBe(MondayPickUp); // never the next day's occurrence
        plan.With(second.Events).Agreements.Single().FindOccurrence(MondayPickUp)!.Outcome.ShouldBe(CheckInOutcome.Kept);
        plan.Breaches.Count.ShouldBe(1); // a breach once recorded stays recorded
    }

    [Fact]
    public void before_any_window_opens_a_report_is_refused_and_never_booked_on_a_future_occurrence()
    {
        var plan = Active();

        Given(plan).When(p => LogCheckIn.Decide(p, CheckIn(CheckInOutcome.Kept), Monday.AddHours(5))).ThenRejected(RejectionKind.Conflict); // 13:00
        Given(plan).When(p => LogCheckIn.Decide(p, CheckIn(CheckInOutcome.Kept, occurrence: MondayPickUp.AddDays(1)), InWindow)).ThenRejected(RejectionKind.Conflict);
        LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), Monday.AddHours(6)).Result!.Occurrence.ShouldBe(MondayPickUp); // 14:00: reportFrom PT1H
    }

    [Fact]
    public void a_report_after_the_window_is_late_on_the_occurrence_just_past_and_never_erases_its_miss()
    {
        // Daily 22:00 with grace PT3H: the window of Monday's evening closes at 01:00 on Tuesday.
        var plan = Active();
        var evening = plan.Agreements.Single();
        evening.Schedule = new Schedule(Daily: new TimeOnly(22, 0));
        evening.Grace = TimeSpan.FromHours(3);
        var mondayEvening = new DateTimeOffset(2027, 1, 4, 22, 0, 0, TimeSpan.FromHours(1));
        var halfPastMidnightUtc = new DateTimeOffset(2027, 1, 5, 0, 30, 0, TimeSpan.Zero); // 01:30 in Amsterdam
        plan.With(Scheduling.Sweep.Decide(plan, halfPastMidnightUtc).Events); // what the catch-up before every command records

        var late = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), halfPastMidnightUtc);

        late.Result.ShouldBe(new Receipt(ReportKind.CheckIn, late.Result!.Id, PickUp, mondayEvening, Late: true));
        late.Events.Single().ShouldBeOfType<CheckInLogged>().Late.ShouldBeTrue();
        plan.With(late.Events);
        evening.FindOccurrence(mondayEvening)!.Missed.ShouldBeTrue();
        evening.LateReports.Single().Occurrence.ShouldBe(mondayEvening);
        plan.Breaches.Single().Kind.ShouldBe(BreachKind.Missed);

        // Tuesday's evening is still open, and is missed when its grace ends.
        var tuesdayEvening = mondayEvening.AddDays(1);
        Scheduling.Sweep.Decide(plan, tuesdayEvening.AddHours(3)).Events.OfType<CheckInMissed>().Single().Occurrence.ShouldBe(tuesdayEvening);
    }

    [Fact]
    public void a_late_not_kept_from_a_member_adds_no_breach_and_a_professionals_correction_needs_a_reason()
    {
        var plan = Active();
        var kept = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), InWindow);
        plan.With(kept.Events);
        var evening = Monday.AddHours(13); // 21:00, after the window

        var memberLate = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.NotKept, "late"), evening, null);
        memberLate.Events.Single().ShouldBeOfType<CheckInLogged>().Correction.ShouldBeFalse();
        plan.With(memberLate.Events).Agreements.Single().FindOccurrence(MondayPickUp)!.Outcome.ShouldBe(CheckInOutcome.Kept);

        var fix = CheckIn(CheckInOutcome.NotKept, "fix", caller: TheMonitor, note: "Oma belde: toch niet opgehaald.");
        Given(plan)
            .When(p => LogCheckIn.Decide(p, fix, evening))
            .Then(new CheckInLogged(fix.CheckInId, "fix", PickUp, Oma, CheckInOutcome.NotKept, "Oma belde: toch niet opgehaald.", MondayPickUp, evening, Late: true, Correction: true),
                new BreachRecorded(DerivedId.From(fix.CheckInId, "breach"), BreachKind.NotKept, PickUp, fix.CheckInId, null, evening,
                    OccurredAt: MondayPickUp, Occurrence: MondayPickUp)) // dated at its occurrence
            .AndThePlan().Agreements.Single().FindOccurrence(MondayPickUp)!.Outcome.ShouldBe(CheckInOutcome.NotKept);
    }

    [Fact]
    public void a_member_who_is_neither_responsible_nor_a_reporter_is_refused_and_a_named_reporter_is_heard()
    {
        var mother = Guid.Parse("44444444-4444-4444-4444-444444444444");
        var plan = Active().With([new MemberAdded(mother, "Moeder", MemberRole.Parent, null, null, Monday)]);
        var motherOnHerPhone = new Auth.Caller("mother", new HashSet<string> { $"member:{mother}" }, mother, "nl");
        plan.With(Scheduling.Sweep.Decide(plan, Monday.AddHours(11)).Events); // Monday's pick-up missed at 19:00

        Given(plan)
            .When(p => LogCheckIn.Decide(p, CheckIn(CheckInOutcome.Kept, member: mother, caller: motherOnHerPhone, occurrence: MondayPickUp), Monday.AddHours(11)))
            .ThenRejected(RejectionKind.Forbidden);
        Given(plan)
            .When(p => LogCheckIn.Decide(p, CheckIn(CheckInOutcome.Kept, member: mother, caller: TheMonitor), Monday.AddDays(1).AddHours(7)))
            .ThenRejected(RejectionKind.Forbidden); // a professional reports only for the responsible member or a reporter

        plan.Agreements.Single().Reporters.Add(mother);
        var heard = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept, member: mother, caller: motherOnHerPhone), Monday.AddDays(1).AddHours(7));
        heard.Accepted.ShouldBeTrue();
        heard.Result!.Occurrence.ShouldBe(MondayPickUp.AddDays(1));
    }

    [Fact]
    public void a_named_time_that_is_not_on_the_schedule_is_invalid()
    {
        Given(ActivePlan())
            .When(plan => LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept, occurrence: Monday.AddHours(8).AddMinutes(30)), Monday.AddHours(9)))
            .ThenRejected(RejectionKind.Invalid)
            .Errors!.ShouldContainKey("occurrence");
    }
}
