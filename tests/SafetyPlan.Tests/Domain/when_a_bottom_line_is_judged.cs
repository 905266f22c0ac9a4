using SafetyPlan.BottomLines;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

public sealed class when_a_bottom_line_is_judged
{
    private static IReadOnlyList<object> NotKept(Plan plan, DateTimeOffset at, string clientId) =>
        LogCheckIn.Decide(plan, new LogCheckIn(PlanId, Guid.NewGuid(), clientId, PickUp, Oma, CheckInOutcome.NotKept, null, null, OmaOnHerPhone), at).Events;

    /// <summary>16:00 on Monday plus <paramref name="days"/>: inside the window of that day's 15:00 pick-up.</summary>
    private static DateTimeOffset Afternoon(int days) => Monday.AddDays(days).AddHours(8);

    [Fact]
    public void breaches_within_a_window_cross_on_the_count_th_breach_only()
    {
        var plan = Active(new BottomLineRule(RuleKind.Breaches, null, Count: 3, Within: TimeSpan.FromDays(14)));

        NotKept(plan, Afternoon(1), "1").OfType<EscalationRaised>().ShouldBeEmpty();
        plan.With(NotKept(plan, Afternoon(1), "1"));
        plan.With(NotKept(plan, Afternoon(2), "2"));
        NotKept(plan, Afternoon(3), "3").OfType<EscalationRaised>().Count().ShouldBe(1);
    }

    [Fact]
    public void breaches_older_than_the_window_do_not_count()
    {
        var plan = Active(new BottomLineRule(RuleKind.Breaches, PickUp, Count: 2, Within: TimeSpan.FromDays(7)));
        plan.With(NotKept(plan, Afternoon(0), "old"));

        NotKept(plan, Afternoon(8), "new").OfType<EscalationRaised>().ShouldBeEmpty();
        NotKept(plan, Afternoon(6), "near").OfType<EscalationRaised>().Count().ShouldBe(1);
    }

    [Fact]
    public void a_concern_crosses_a_concern_rule_from_its_minimum_severity()
    {
        var plan = Active(new BottomLineRule(RuleKind.Concern, MinSeverity: Severity.Medium));
        RaiseConcern Concern(Severity severity, string id) => new(PlanId, Guid.NewGuid(), id, Oma, "Zorg", severity, OmaOnHerPhone);

        RaiseConcern.Decide(plan, Concern(Severity.Low, "l"), Monday).Events.OfType<EscalationRaised>().ShouldBeEmpty();
        RaiseConcern.Decide(plan, Concern(Severity.Medium, "m"), Monday).Events.OfType<EscalationRaised>().Count().ShouldBe(1);
        RaiseConcern.Decide(plan, Concern(Severity.High, "h"), Monday).Events.OfType<BreachRecorded>().Single().Kind.ShouldBe(BreachKind.Concern);
    }

    [Fact]
    public void after_an_escalation_is_resolved_a_new_breach_is_a_new_crossing()
    {
        var plan = Active(new BottomLineRule(RuleKind.AnyBreach, PickUp));
        var first = NotKept(plan, Monday.AddHours(9), "1");
        plan.With(first);
        var escalation = first.OfType<EscalationRaised>().Single().EscalationId;
        plan.With([new EscalationAcknowledged(escalation, "anna", null, Monday.AddHours(10)), new EscalationResolved(escalation, "anna", "Gesprek gevoerd", Monday.AddHours(11))]);

        var next = NotKept(plan, Monday.AddDays(1).AddHours(9), "2").OfType<EscalationRaised>().Single();
        next.EscalationId.ShouldNotBe(escalation);
    }

    [Fact]
    public void rules_that_need_time_to_pass_are_not_crossed_by_a_report()
    {
        var plan = Active(new BottomLineRule(RuleKind.Silence, For: TimeSpan.FromHours(72)), new BottomLineRule(RuleKind.MissedInARow, Count: 1));
        NotKept(plan, Monday.AddHours(9), "1").OfType<BottomLineCrossed>().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(RuleKind.Breaches, "3 breaches of the agreement within 14 days", "3 schendingen van de afspraak binnen 14 dagen")]
    [InlineData(RuleKind.Silence, "no check-in from anyone for 36 hours", "van niemand een terugmelding gedurende 36 uur")]
    [InlineData(RuleKind.Concern, "a concern of severity high or higher", "een zorgmelding van ernst hoog of hoger")]
    public void its_rule_reads_in_the_readers_language(RuleKind kind, string english, string dutch)
    {
        var rule = new BottomLineRule(kind, AgreementId: kind == RuleKind.Breaches ? PickUp : null, Count: 3,
            Within: TimeSpan.FromDays(14), For: TimeSpan.FromHours(36), MinSeverity: Severity.High);
        rule.Describe("en").ShouldBe(english);
        rule.Describe("nl").ShouldBe(dutch);
    }
}
