using SafetyPlan.BottomLines;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

public sealed class when_a_check_in_is_logged
{
    private static LogCheckIn CheckIn(CheckInOutcome outcome, string clientId = "c1", Guid? member = null, Auth.Caller? caller = null, DateTimeOffset? occurrence = null) =>
        new(PlanId, Guid.NewGuid(), clientId, PickUp, member ?? Oma, outcome, null, occurrence, caller ?? OmaOnHerPhone);

    [Fact]
    public void a_kept_agreement_is_only_logged()
    {
        var decision = LogCheckIn.Decide(Active(new BottomLineRule(RuleKind.AnyBreach, PickUp)), CheckIn(CheckInOutcome.Kept), Monday.AddHours(1));

        decision.Events.Single().ShouldBeOfType<CheckInLogged>().Occurrence.ShouldBe(Monday.Date.AddHours(15) is var t
            ? new DateTimeOffset(t, TimeSpan.FromHours(1)) : default);
    }

    [Fact]
    public void a_not_kept_agreement_records_a_breach_and_crosses_an_any_breach_bottom_line_once()
    {
        var plan = Active(new BottomLineRule(RuleKind.AnyBreach, PickUp));

        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.NotKept), Monday.AddHours(9));
        first.Events.Select(e => e.GetType()).ShouldBe([typeof(CheckInLogged), typeof(BreachRecorded), typeof(BottomLineCrossed), typeof(EscalationRaised), typeof(NotificationQueued), typeof(NotificationQueued)]);
        first.Events.OfType<NotificationQueued>().Single(n => n.Channel == NotificationChannel.Email).RecipientUserId.ShouldBe("anna");
        first.Events.OfType<NotificationQueued>().Single(n => n.Channel == NotificationChannel.Webhook).RecipientUserId.ShouldBeNull();
        var raised = first.Events.OfType<EscalationRaised>().Single();
        raised.MonitorId.ShouldBe("anna");
        raised.BackupId.ShouldBe("bart");
        raised.AcknowledgeBy.ShouldBe(Monday.AddHours(13));

        var second = LogCheckIn.Decide(plan.With(first.Events), CheckIn(CheckInOutcome.NotKept, "c2"), Monday.AddHours(10));
        second.Events.Select(e => e.GetType()).ShouldBe([typeof(CheckInLogged), typeof(BreachRecorded)]); // still crossed: no second escalation
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
        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), Monday.AddHours(1));
        plan.With(first.Events);

        var repeat = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.NotKept), Monday.AddHours(2), earlier: first.Result);

        repeat.Repeated.ShouldBeTrue();
        repeat.Events.ShouldBeEmpty();
        repeat.Result.ShouldBe(first.Result);
    }

    [Fact]
    public void a_repeat_on_a_plan_closed_since_still_answers_the_first_receipt()
    {
        var plan = Active();
        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), Monday.AddHours(1));
        plan.With(first.Events).With([new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Close, "Klaar", null, 1, Monday.AddHours(3))]);

        LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept, "c2"), Monday.AddHours(4)).Rejection!.Kind.ShouldBe(RejectionKind.Conflict);
        var repeat = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), Monday.AddHours(4), earlier: first.Result);
        repeat.Repeated.ShouldBeTrue();
        repeat.Result.ShouldBe(first.Result);
    }

    [Fact]
    public void a_client_id_used_for_another_kind_of_report_is_a_conflict_and_appends_nothing()
    {
        var plan = Active();
        var checkIn = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), Monday.AddHours(1));

        var rating = GiveRating.Decide(plan.With(checkIn.Events), new GiveRating(PlanId, Guid.NewGuid(), "c1", Oma, 7, null, OmaOnHerPhone),
            Monday.AddHours(2), earlier: checkIn.Result);

        rating.Rejection!.Kind.ShouldBe(RejectionKind.Conflict);
        rating.Repeated.ShouldBeFalse();
        rating.Events.ShouldBeEmpty();
    }

    [Fact]
    public void someone_who_may_not_report_is_refused_before_an_earlier_receipt_is_answered()
    {
        var plan = Active();
        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept), Monday.AddHours(1));

        var stranger = LogCheckIn.Decide(plan.With(first.Events), CheckIn(CheckInOutcome.Kept, member: Guid.NewGuid()), Monday.AddHours(2), earlier: first.Result);

        stranger.Rejection!.Kind.ShouldBe(RejectionKind.Forbidden);
        stranger.Repeated.ShouldBeFalse();
    }

    [Fact]
    public void a_member_cannot_report_as_someone_else()
    {
        var decision = LogCheckIn.Decide(Active(), CheckIn(CheckInOutcome.Kept, member: Guid.NewGuid()), Monday);
        decision.Rejection!.Kind.ShouldBe(RejectionKind.Forbidden);
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_professional_may_report_for_a_member()
    {
        LogCheckIn.Decide(Active(), CheckIn(CheckInOutcome.Kept, caller: TheMonitor), Monday).Accepted.ShouldBeTrue();
    }

    [Fact]
    public void a_check_in_before_the_plan_is_agreed_or_on_a_withdrawn_agreement_is_refused()
    {
        var draft = new Plan();
        draft.Apply(new PlanDrafted(PlanId, "Plan", "Jansen", "anna", null, "Europe/Amsterdam", Monday));
        draft.Apply(new MemberAdded(Oma, "Oma", MemberRole.Network, null, null, Monday));
        LogCheckIn.Decide(draft, CheckIn(CheckInOutcome.Kept), Monday).Rejection!.Kind.ShouldBe(RejectionKind.Conflict);

        var withdrawn = Active().With([new AgreementWithdrawn(PickUp, "Oma verhuisd", Monday.AddHours(1))]);
        LogCheckIn.Decide(withdrawn, CheckIn(CheckInOutcome.Kept), Monday.AddHours(2)).Rejection!.Kind.ShouldBe(RejectionKind.Conflict);
    }

    [Fact]
    public void without_a_named_occurrence_the_most_recent_open_one_is_reported_then_the_next()
    {
        var plan = Active();
        var afternoon = Monday.AddHours(9); // 17:00, after today's 15:00

        var first = LogCheckIn.Decide(plan, CheckIn(CheckInOutcome.Kept, "a"), afternoon);
        first.Result!.Occurrence.ShouldBe(new DateTimeOffset(2027, 1, 4, 15, 0, 0, TimeSpan.FromHours(1)));
        var second = LogCheckIn.Decide(plan.With(first.Events), CheckIn(CheckInOutcome.Kept, "b"), afternoon);
        second.Result!.Occurrence.ShouldBe(new DateTimeOffset(2027, 1, 5, 15, 0, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void a_named_time_that_is_not_on_the_schedule_is_invalid()
    {
        var decision = LogCheckIn.Decide(Active(), CheckIn(CheckInOutcome.Kept, occurrence: Monday.AddHours(8).AddMinutes(30)), Monday.AddHours(9));
        decision.Rejection!.Kind.ShouldBe(RejectionKind.Invalid);
        decision.Rejection.Errors!.ShouldContainKey("occurrence");
    }
}
