using SafetyPlan.Agreements;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Handover;
using SafetyPlan.Plans;
using SafetyPlan.Scheduling;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The pure decision of a handover of monitoring (Handover/HandOverMonitoring.cs) and what its event does to the plan:
/// who may, which accounts, the repeat, the messages, and the open escalation's ladder afterwards (Sweep.Decide).
/// </summary>
public sealed class when_monitoring_is_handed_over_in_a_decision
{
    private static readonly Guid Escalation = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly DateTimeOffset Raised = Monday.AddHours(2);
    private static readonly DateTimeOffset Now = Monday.AddHours(3);

    private static Caller Professional(string id) => new(id, new HashSet<string> { "professional" }, null, "nl");

    private static HandOverMonitoring Command(Caller caller, string to = "carla", string? backup = "dirk", string? team = null) =>
        new(PlanId, to, backup, "Overdracht", caller, team, ["carla", "dirk"]);

    /// <summary>Anna's active plan (backup bart) with an escalation raised to her at <see cref="Raised"/>, to be acknowledged within 4 hours.</summary>
    private static GivenPlan WithOpenEscalation()
    {
        var bottomLine = Guid.NewGuid();
        return Given(
        [
            .. DraftedPlan(),
            new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday),
            new BottomLineSet(bottomLine, "Ingrijpen", new BottomLines.BottomLineRule(BottomLines.RuleKind.Concern, MinSeverity: Severity.High), TimeSpan.FromHours(4), Monday),
            new PlanAgreed(new DateOnly(2027, 3, 1), Monday),
            new EscalationRaised(Escalation, bottomLine, "Plan", "Ingrijpen", "concern", "anna", "bart", Raised.AddHours(4), Raised),
        ]);
    }

    [Fact]
    public void the_monitor_hands_over_with_the_open_escalation_and_the_new_monitor_backup_and_network_are_told_once()
    {
        var outcome = WithOpenEscalation().When(plan => HandOverMonitoring.Decide(plan, Command(TheMonitor), Now));
        var reference = HandOverMonitoring.Reference(Now);
        outcome.Decision.Result.ShouldBe(new HandoverResult(PlanId, "carla", "dirk", outcome.Decision.Result!.Escalations));
        outcome.Decision.Result.Escalations.ShouldBe([Escalation]);
        var events = outcome.Decision.Events;
        events[0].ShouldBe(new MonitoringHandedOver("anna", "bart", "carla", "dirk", "Overdracht", Now, outcome.Decision.Result.Escalations));
        events.OfType<NotificationQueued>().Select(n => (n.Subject, n.Reference, n.RecipientUserId, n.RecipientMemberId)).Distinct().ShouldBe(
        [
            (NotificationSubject.MonitoringHandedOver, reference, "carla", null),
            (NotificationSubject.MonitoringHandedOver, reference, null, Oma),
            (NotificationSubject.MonitoringHandedOver, reference, "dirk", null),
        ]);

        var plan = outcome.AndThePlan();
        (plan.MonitorId, plan.BackupId).ShouldBe(("carla", "dirk"));
        var escalation = plan.FindEscalation(Escalation)!;
        (escalation.MonitorId, escalation.BackupId, escalation.RaisedTo, escalation.AcknowledgeBy).ShouldBe(("carla", "dirk", "anna", Raised.AddHours(4)));
        // The same again is a repeat: nothing appended, nobody told twice.
        var repeat = HandOverMonitoring.Decide(plan, Command(Professional("carla")), Now.AddMinutes(1));
        (repeat.Repeated, repeat.Events.Count).ShouldBe((true, 0));
        MonitorPeriods.Of(plan).ShouldBe([new MonitorPeriod("anna", Monday, Now), new MonitorPeriod("carla", Now, null)]);
    }

    [Fact]
    public void the_ladders_next_step_goes_to_the_new_backup_at_the_original_time()
    {
        var plan = WithOpenEscalation().When(plan => HandOverMonitoring.Decide(plan, Command(TheMonitor), Now)).AndThePlan();
        Sweep.Decide(plan, Raised.AddHours(4).AddSeconds(-1)).Events.OfType<EscalationPassedToBackup>().ShouldBeEmpty();
        var step = Sweep.Decide(plan, Raised.AddHours(4)).Events;
        step.OfType<EscalationPassedToBackup>().ShouldHaveSingleItem().RecipientId.ShouldBe("dirk");
        step.OfType<NotificationQueued>().Where(n => n.RecipientUserId is not null).ShouldAllBe(n => n.RecipientUserId == "dirk");
    }

    [Fact]
    public void the_backup_and_the_plans_team_may_but_a_duty_professional_or_an_outsider_may_not()
    {
        WithOpenEscalation().When(plan => HandOverMonitoring.Decide(plan, Command(Professional("bart")), Now)).Decision.Accepted.ShouldBeTrue();
        Given(DraftedPlan(team: "noord")).When(plan => HandOverMonitoring.Decide(plan, Command(Professional("tom"), team: "noord"), Now))
            .Decision.Accepted.ShouldBeTrue();
        Given(DraftedPlan(team: "noord")).When(plan => HandOverMonitoring.Decide(plan, Command(Professional("tom"), team: "zuid"), Now))
            .ThenRejected(RejectionKind.Forbidden);
        WithOpenEscalation().And(new EscalationPassedToBackup(Escalation, "bart", Raised.AddHours(4)), new EscalationPassedToDuty(Escalation, "duty", Raised.AddHours(8)))
            .When(plan => HandOverMonitoring.Decide(plan, Command(Professional("duty")), Raised.AddHours(9)))
            .ThenRejected(RejectionKind.Forbidden);
    }

    [Fact]
    public void a_new_monitor_or_backup_must_be_a_professional_account_and_a_closed_plan_is_not_handed_over()
    {
        var unknown = WithOpenEscalation().When(plan => HandOverMonitoring.Decide(plan, Command(TheMonitor) with { Professionals = ["dirk"] }, Now))
            .ThenRejected(RejectionKind.Invalid);
        unknown.Errors!.Keys.ShouldBe(["toMonitorId"]);
        // The backup who stays is not checked again: only the new monitor is.
        WithOpenEscalation().When(plan => HandOverMonitoring.Decide(plan, Command(TheMonitor, backup: null) with { Professionals = ["carla"] }, Now))
            .Decision.Accepted.ShouldBeTrue();
        Given([.. ActivePlan(), new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Close, "Klaar", null, 1, Monday)])
            .When(plan => HandOverMonitoring.Decide(plan, Command(TheMonitor), Now))
            .ThenRejected(RejectionKind.Conflict);
    }

    [Fact]
    public void a_left_out_backup_is_kept_and_nobody_new_is_told_as_backup()
    {
        var outcome = WithOpenEscalation().When(plan => HandOverMonitoring.Decide(plan, Command(TheMonitor, backup: null), Now));
        outcome.Decision.Result!.BackupId.ShouldBe("bart", "a handover that names no backup keeps the plan's backup");
        outcome.Decision.Events.OfType<MonitoringHandedOver>().Single().ToBackupId.ShouldBe("bart");
        outcome.Decision.Events.OfType<NotificationQueued>().ShouldNotContain(n => n.RecipientUserId == "bart");
        var plan = outcome.AndThePlan();
        (plan.MonitorId, plan.BackupId).ShouldBe(("carla", "bart"));
        plan.FindEscalation(Escalation)!.BackupId.ShouldBe("bart");
        // The same again (backup left out again) is a repeat.
        HandOverMonitoring.Decide(plan, Command(Professional("carla"), backup: null), Now.AddMinutes(1)).Repeated.ShouldBeTrue();
    }

    [Fact]
    public void a_left_out_backup_who_becomes_monitor_leaves_the_plan_without_a_backup()
    {
        var outcome = WithOpenEscalation().When(plan =>
            HandOverMonitoring.Decide(plan, Command(TheMonitor, to: "bart", backup: null) with { Professionals = ["bart"] }, Now));
        outcome.Decision.Result!.BackupId.ShouldBeNull();
        outcome.Decision.Events.OfType<MonitoringHandedOver>().Single().ToBackupId.ShouldBeNull();
        (outcome.AndThePlan().MonitorId, outcome.AndThePlan().BackupId).ShouldBe(("bart", (string?)null));
    }

    [Fact]
    public void a_handover_to_the_current_monitor_that_names_no_new_backup_is_a_conflict_in_both_languages_and_a_new_backup_alone_is_a_handover()
    {
        var backupOnly = WithOpenEscalation().When(plan =>
            HandOverMonitoring.Decide(plan, Command(TheMonitor, to: "anna", backup: "dirk") with { Professionals = ["dirk"] }, Now));
        (backupOnly.AndThePlan().MonitorId, backupOnly.AndThePlan().BackupId).ShouldBe(("anna", "dirk"));
        foreach (var backup in new[] { null, "bart" })
        {
            var refused = WithOpenEscalation().When(plan => HandOverMonitoring.Decide(plan, Command(TheMonitor, to: "anna", backup: backup), Now))
                .ThenRejected(RejectionKind.Conflict);
            refused.Detail.En.ShouldContain("already monitors");
            refused.Detail.Nl.ShouldContain("heeft de regie over dit plan al");
        }
    }
}
