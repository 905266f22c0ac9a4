using Marten;
using SafetyPlan.Plans;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class when_projections_are_rebuilt(ServerFixture server)
{
    [Fact]
    public async Task a_lost_plan_document_comes_back_exactly_as_it_was_from_the_events()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        await server.Advance("P2D"); // missed check-ins, an escalation passed on
        var before = (await plan.Professional.GetStringAsync($"/api/plans/{plan.PlanId}"));
        var escalationsBefore = await plan.Professional.GetStringAsync("/api/escalations");

        await using (var session = server.Store.LightweightSession())
        {
            session.Delete<Plan>(plan.PlanId);
            await session.SaveChangesAsync();
        }
        (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);

        await server.RebuildWhileQuiet("Plan", "EscalationView");

        (await plan.Professional.GetStringAsync($"/api/plans/{plan.PlanId}")).ShouldBe(before);
        (await plan.Professional.GetStringAsync("/api/escalations")).ShouldBe(escalationsBefore);
    }
}
