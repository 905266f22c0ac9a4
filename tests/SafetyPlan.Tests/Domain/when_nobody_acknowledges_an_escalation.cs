using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.BottomLines;
using SafetyPlan.Escalations;
using SafetyPlan.Plans;
using SafetyPlan.Scheduling;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The escalation ladder (../shared/domain.md, "The network in the loop"): monitor, then backup, then the organisation's
/// duty professional, each step after the bottom line's acknowledge time (PT4H in these plans), each exactly once.
/// </summary>
public sealed class when_nobody_acknowledges_an_escalation
{
    private static readonly Caller Duty = new("dirk", new HashSet<string> { "professional" }, null, "nl");

    /// <summary>A plan whose Monday pick-up was missed at 19:00 and swept at 20:00: one open escalation, acknowledge by 00:00.</summary>
    private static (Plan Plan, EscalationRecord Escalation) Escalated()
    {
        var plan = Active(new BottomLineRule(RuleKind.MissedInARow, Count: 1));
        plan.With(Sweep.Decide(plan, Monday.AddHours(12), "dirk").Events);
        return (plan, plan.Escalations.Single());
    }

    [Fact]
    public void it_passes_to_the_backup_and_one_acknowledge_time_later_to_the_duty_professional_once_each()
    {
        var (plan, escalation) = Escalated();

        var toBackup = Sweep.Decide(plan, escalation.AcknowledgeBy, "dirk").Events;
        toBackup.OfType<EscalationPassedToBackup>().Single().RecipientId.ShouldBe("bart");
        toBackup.OfType<EscalationPassedToDuty>().ShouldBeEmpty();
        plan.With(toBackup);

        Sweep.Decide(plan, escalation.AcknowledgeBy.AddHours(4).AddSeconds(-1), "dirk").Events.OfType<EscalationPassedToDuty>().ShouldBeEmpty();
        var toDuty = Sweep.Decide(plan, escalation.AcknowledgeBy.AddHours(4), "dirk").Events;
        toDuty.OfType<EscalationPassedToDuty>().Single().ShouldBe(new EscalationPassedToDuty(escalation.Id, "dirk", escalation.AcknowledgeBy.AddHours(4)));
        var queued = toDuty.OfType<NotificationQueued>().ToList();
        queued.Select(n => (n.Subject, n.RecipientUserId, n.Channel)).ShouldBe(
            [(NotificationSubject.EscalationPassedToDuty, "dirk", NotificationChannel.Email), (NotificationSubject.EscalationPassedToDuty, "dirk", NotificationChannel.Push),
             (NotificationSubject.EscalationPassedToDuty, null, NotificationChannel.Webhook)],
            ignoreOrder: true);
        plan.With(toDuty);

        Sweep.Decide(plan, escalation.AcknowledgeBy.AddDays(30), "dirk").Events.OfType<EscalationPassedToDuty>().ShouldBeEmpty(); // the top of the ladder
        plan.Escalations.Single().DutyId.ShouldBe("dirk");
        plan.DutyIds.ShouldBe(["dirk"]);
    }

    [Fact]
    public void a_sweep_that_runs_late_takes_both_steps_in_order_in_one_decision()
    {
        var (plan, escalation) = Escalated();

        var events = Sweep.Decide(plan, escalation.AcknowledgeBy.AddDays(2), "dirk").Events;

        var steps = events.Where(e => e is EscalationPassedToBackup or EscalationPassedToDuty).ToList();
        steps.Select(e => e.GetType()).ShouldBe([typeof(EscalationPassedToBackup), typeof(EscalationPassedToDuty)]);
    }

    [Fact]
    public void an_escalation_the_backup_acknowledged_does_not_reach_the_duty_professional()
    {
        var (plan, escalation) = Escalated();
        plan.With(Sweep.Decide(plan, escalation.AcknowledgeBy, "dirk").Events);
        plan.With([new EscalationAcknowledged(escalation.Id, "bart", null, escalation.AcknowledgeBy.AddHours(1))]);

        Sweep.Decide(plan, escalation.AcknowledgeBy.AddDays(1), "dirk").Events.OfType<EscalationPassedToDuty>().ShouldBeEmpty();
    }

    [Fact]
    public void without_a_duty_professional_the_step_is_recorded_once_with_nobody_and_nothing_is_sent()
    {
        var (plan, escalation) = Escalated();
        plan.With(Sweep.Decide(plan, escalation.AcknowledgeBy, null).Events);

        var step = Sweep.Decide(plan, escalation.AcknowledgeBy.AddHours(4), null).Events;
        step.ShouldBe([new EscalationPassedToDuty(escalation.Id, null, escalation.AcknowledgeBy.AddHours(4))]);
        plan.With(step);
        Sweep.Decide(plan, escalation.AcknowledgeBy.AddDays(1), "dirk").Events.OfType<EscalationPassedToDuty>().ShouldBeEmpty(); // named later: the step was taken
        plan.DutyIds.ShouldBeEmpty();
    }

    [Fact]
    public void the_duty_professional_may_respond_once_it_was_passed_to_them_and_not_before()
    {
        var (plan, escalation) = Escalated();
        RespondToEscalation.Decide(plan, new RespondToEscalation(PlanId, escalation.Id, false, null, Duty), Monday.AddHours(13))
            .Rejection!.Kind.ShouldBe(RejectionKind.Forbidden);

        plan.With(Sweep.Decide(plan, escalation.AcknowledgeBy.AddHours(4), "dirk").Events);
        var acknowledged = RespondToEscalation.Decide(plan, new RespondToEscalation(PlanId, escalation.Id, false, null, Duty), escalation.AcknowledgeBy.AddHours(5));
        acknowledged.Accepted.ShouldBeTrue();
        acknowledged.Events.ShouldBe([new EscalationAcknowledged(escalation.Id, "dirk", null, escalation.AcknowledgeBy.AddHours(5))]);
    }
}
