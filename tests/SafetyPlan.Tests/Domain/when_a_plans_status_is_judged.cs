using SafetyPlan.BottomLines;
using SafetyPlan.Evaluations;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

public sealed class when_a_plans_status_is_judged
{
    [Fact]
    public void a_plan_without_breaches_is_green()
    {
        PlanStatusView.Colour(Active(), Monday.AddDays(1)).ShouldBe(StatusColour.Green);
    }

    [Fact]
    public void a_recent_breach_makes_it_amber_until_it_is_older_than_the_window()
    {
        var plan = Active().With([new BreachRecorded(Guid.NewGuid(), BreachKind.Missed, PickUp, Guid.NewGuid(), null, Monday.AddDays(1))]);
        PlanStatusView.Colour(plan, Monday.AddDays(2)).ShouldBe(StatusColour.Amber);
        PlanStatusView.Colour(plan, Monday.AddDays(1) + PlanStatusView.RecentWindow + TimeSpan.FromMinutes(1)).ShouldBe(StatusColour.Green);
    }

    [Fact]
    public void an_open_escalation_makes_it_red()
    {
        var plan = Active(new BottomLineRule(RuleKind.AnyBreach, PickUp));
        var bottomLine = plan.BottomLines.Single().Id;
        var breach = Guid.NewGuid();
        plan.With([
            new BreachRecorded(breach, BreachKind.NotKept, PickUp, Guid.NewGuid(), null, Monday),
            new BottomLineCrossed(bottomLine, breach, "r", Monday),
            new EscalationRaised(Guid.NewGuid(), bottomLine, "Plan", "bl", "r", "anna", null, Monday.AddHours(4), Monday),
        ]);
        PlanStatusView.Colour(plan, Monday.AddDays(30)).ShouldBe(StatusColour.Red);
    }

    [Fact]
    public void an_overdue_evaluation_makes_it_amber()
    {
        var plan = Active();
        PlanStatusView.Colour(plan, new DateTimeOffset(2027, 3, 2, 9, 0, 0, TimeSpan.FromHours(1))).ShouldBe(StatusColour.Amber);
        PlanStatusView.IsEvaluationOverdue(plan, new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(1))).ShouldBeFalse();
    }

    [Fact]
    public void an_adjusting_evaluation_makes_a_new_revision_and_closing_closes_the_plan()
    {
        var plan = Active();
        var adjust = RecordEvaluation.Decide(plan, new RecordEvaluation(PlanId, Guid.NewGuid(), EvaluationOutcome.Adjust, "Ophalen naar 15:30", null, TheMonitor), Monday.AddDays(10));
        adjust.Result!.Revision.ShouldBe(2);
        adjust.Result.NextEvaluationDue.ShouldBe(new DateOnly(2027, 1, 14).AddDays(42));
        plan.With(adjust.Events);

        var close = RecordEvaluation.Decide(plan, new RecordEvaluation(PlanId, Guid.NewGuid(), EvaluationOutcome.Close, "Veilig", null, TheMonitor), Monday.AddDays(20));
        plan.With(close.Events).State.ShouldBe(PlanState.Closed);
        plan.EvaluationDue.ShouldBeNull();
    }

    [Fact]
    public void a_plan_with_an_open_escalation_cannot_be_closed_until_it_is_resolved()
    {
        var plan = Active(new BottomLineRule(RuleKind.MissedInARow, Count: 1));
        plan.With(Scheduling.Sweep.Decide(plan, Monday.AddHours(12)).Events);
        var escalation = plan.Escalations.Single(e => e.IsOpen).Id;
        RecordEvaluation Close() => new(PlanId, Guid.NewGuid(), EvaluationOutcome.Close, "Veilig", null, TheMonitor);

        var refused = RecordEvaluation.Decide(plan, Close(), Monday.AddDays(2));
        refused.Rejection!.Kind.ShouldBe(Decisions.RejectionKind.Conflict);
        refused.Events.ShouldBeEmpty();

        plan.With([new EscalationResolved(escalation, "anna", "Opgelost", Monday.AddDays(2))]);
        RecordEvaluation.Decide(plan, Close(), Monday.AddDays(2)).Accepted.ShouldBeTrue();
    }
}
