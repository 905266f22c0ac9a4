using SafetyPlan.Agreements;
using SafetyPlan.Auth;
using SafetyPlan.BottomLines;
using SafetyPlan.Plans;

namespace SafetyPlan.Tests.Domain;

/// <summary>Plans built from events in memory, for the pure decision tests: no database, no server.</summary>
public static class PlanFixtures
{
    public static readonly DateTimeOffset Monday = new(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(1));
    public static readonly Guid PlanId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    public static readonly Guid Oma = Guid.Parse("22222222-2222-2222-2222-222222222222");
    public static readonly Guid PickUp = Guid.Parse("33333333-3333-3333-3333-333333333333");
    public static readonly Caller TheMonitor = new("anna", new HashSet<string> { "professional" }, null, "en");
    public static readonly Caller OmaOnHerPhone = new("oma", new HashSet<string> { $"member:{Oma}" }, Oma, "nl");

    public static Plan Active(params BottomLineRule[] rules)
    {
        var plan = new Plan();
        Plan.Evolve(plan, new PlanDrafted(PlanId, "Plan", "Jansen", "anna", "bart", "Europe/Amsterdam", Monday));
        Plan.Evolve(plan, new MemberAdded(Oma, "Oma Riet", MemberRole.Network, null, null, Monday));
        Plan.Evolve(plan, new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday));
        foreach (var rule in rules)
            Plan.Evolve(plan, new BottomLineSet(Guid.NewGuid(), "Ingrijpen", rule, TimeSpan.FromHours(4), Monday));
        Plan.Evolve(plan, new PlanAgreed(new DateOnly(2027, 3, 1), Monday));
        return plan;
    }

    /// <summary>Applies a decision's events, as Marten would after appending them.</summary>
    public static Plan With(this Plan plan, IEnumerable<object> events)
    {
        foreach (var e in events) Plan.Evolve(plan, e);
        return plan;
    }
}
