using System.Net;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Organisations are Marten tenants: a plan of one is, to every other, a plan that does not exist; time passes for all.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_organisations_share_one_server(ServerFixture server)
{
    [Fact]
    public async Task a_plan_of_one_organisation_is_unknown_to_another_and_time_still_passes_for_it()
    {
        await server.AdvanceToNext(new TimeOnly(12, 0)); // a day later 08:30 + PT1H has passed, whatever the clock's time of day
        var noord = $"noord-{Guid.NewGuid():N}";
        var monitor = server.In(noord, "ilse", "professional");
        var planId = await (await monitor.Post("/api/plans", new { title = "Veiligheidsplan Smit", family = "Smit", monitorId = "ilse" })).CreatedId();
        var memberId = await (await monitor.Post($"/api/plans/{planId}/members", new { name = "Opa Henk", role = "network" })).CreatedId();
        await (await monitor.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Opa brengt de kinderen naar school.", responsibleMemberId = memberId, schedule = new { daily = "08:30" }, grace = "PT1H", reportFrom = "P1D",
        })).CreatedId();
        (await monitor.Post($"/api/plans/{planId}/agree", new { evaluationDue = server.EvaluationDue() })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The same user id and roles in another organisation (here: the default one) see nothing of it.
        var elsewhere = server.As("ilse", "professional");
        (await elsewhere.GetAsync($"/api/plans/{planId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await elsewhere.GetAsync($"/api/plans/{planId}/history")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await elsewhere.GetAsync($"/api/plans/{planId}/verify")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await elsewhere.Post($"/api/plans/{planId}/members", new { name = "Indringer", role = "network" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await elsewhere.GetAsync("/api/plans")).Json()).EnumerateArray().ShouldNotContain(p => p.GetProperty("id").GetGuid() == planId);
        (await (await monitor.GetAsync("/api/plans")).Json()).EnumerateArray().ShouldContain(p => p.GetProperty("id").GetGuid() == planId);

        // The sweep runs over every organisation and appends in the plan's own, with an intact hash chain.
        await server.Advance("P1D");
        var history = await (await monitor.GetAsync($"/api/plans/{planId}/history")).Json();
        history.EnumerateArray().ShouldContain(e => e.GetProperty("type").GetString() == "check-in-missed");
        var verified = await (await server.In(noord, "audit-noord", "auditor").GetAsync($"/api/plans/{planId}/verify")).Json();
        verified.GetProperty("intact").GetBoolean().ShouldBeTrue();
    }
}
