using SafetyPlan.Decisions;
using SafetyPlan.Plans;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// Given the plan's events, when a pure decision is made, then these events (compared as records, in order) or this
/// rejection (and no events):
/// <code>
/// Given([.. ActivePlan(), new AgreementWithdrawn(PickUp, "Verhuisd", at)])
///     .When(plan => LogCheckIn.Decide(plan, command, now))
///     .ThenRejected(RejectionKind.Conflict);
/// </code>
/// </summary>
public static class Scenario
{
    /// <summary>A plan that has seen exactly these events (<see cref="PlanFixtures.Build"/>).</summary>
    public static GivenPlan Given(params object[] events) => new(PlanFixtures.Build(events));

    /// <summary>A plan set up in memory beyond what events say (a schedule changed in place, an agreement cleared).</summary>
    public static GivenPlan Given(Plan plan) => new(plan);

    public sealed class GivenPlan(Plan plan)
    {
        public Plan Plan => plan;

        /// <summary>Then these events as well (a decision earlier in the story, applied as Marten would).</summary>
        public GivenPlan And(params object[] events)
        {
            plan.With(events);
            return this;
        }

        public Outcome<T> When<T>(Func<Plan, Decision<T>> decide) => new(plan, decide(plan));
    }

    public sealed class Outcome<T>(Plan plan, Decision<T> decision)
    {
        public Plan Plan => plan;
        public Decision<T> Decision => decision;

        /// <summary>The decision was accepted with exactly these events, in this order (none: it appends nothing).</summary>
        public Outcome<T> Then(params object[] expected)
        {
            decision.Rejection.ShouldBeNull();
            decision.Events.ShouldBe(expected);
            return this;
        }

        /// <summary>The decision was rejected as <paramref name="kind"/> (the HTTP status it is answered with) and appends nothing.</summary>
        public Rejection ThenRejected(RejectionKind kind)
        {
            var rejection = decision.Rejection.ShouldNotBeNull();
            rejection.Kind.ShouldBe(kind);
            decision.Events.ShouldBeEmpty();
            return rejection;
        }

        /// <summary>Applies the decision's events to the plan, for assertions on the state they lead to.</summary>
        public Plan AndThePlan() => plan.With(decision.Events);
    }
}
