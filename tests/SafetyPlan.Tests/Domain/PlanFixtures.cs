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

    /// <summary>Anna's plan for the Jansen family, drafted on Monday with Oma in its network (the start of <see cref="ActivePlan"/>).</summary>
    public static object[] DraftedPlan(string? team = null) =>
    [
        new PlanDrafted(PlanId, "Plan", "Jansen", "anna", "bart", "Europe/Amsterdam", Monday, TeamId: team),
        new MemberAdded(Oma, "Oma Riet", MemberRole.Network, "riet@example.org", null, Monday),
    ];

    /// <summary>
    /// The events of an agreed plan: Oma picks the children up daily at 15:00 (grace PT4H), under these bottom lines
    /// (each with a new id), and the evaluation is due on 1 March 2027.
    /// </summary>
    public static object[] ActivePlan(params BottomLineRule[] rules) =>
    [
        .. DraftedPlan(),
        new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday),
        .. rules.Select(rule => new BottomLineSet(Guid.NewGuid(), "Ingrijpen", rule, TimeSpan.FromHours(4), Monday)),
        new PlanAgreed(new DateOnly(2027, 3, 1), Monday),
    ];

    public static Plan Active(params BottomLineRule[] rules) => Build(ActivePlan(rules));

    /// <summary>A plan that has seen exactly these events.</summary>
    public static Plan Build(IEnumerable<object> events) => new Plan().With(events);

    /// <summary>Applies a decision's events, as Marten would after appending them.</summary>
    public static Plan With(this Plan plan, IEnumerable<object> events)
    {
        foreach (var e in events) Evolve(plan, e);
        return plan;
    }

    /// <summary>
    /// The one place the tests apply an event to a plan (every fixture, <see cref="With"/> and
    /// <see cref="Scenario.Given(object[])"/> come here), so that how a plan takes an event can change in one line.
    /// </summary>
    private static void Evolve(Plan plan, object e) => Plan.Evolve(plan, e);
}
