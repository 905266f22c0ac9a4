using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// What a network member sees of their plan (../shared/domain.md, "What a member sees"): their own ratings, not the
/// others', and the plan as it is now, not as it stood at earlier versions or moments (which would time each report).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_reads_the_plan(ServerFixture server)
{
    /// <summary>A plan where oma rated 7 and the child (another member) rated 2.</summary>
    private async Task<(PlanBuilder Plan, Guid Child)> PlanWithTwoRatings()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var child = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Sanne", role = "child" })).CreatedId();
        await plan.Agreed();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "r-oma", memberId = plan.MemberId, score = 7 })).EnsureSuccessStatusCode();
        (await server.As("sanne", $"member:{child}").Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "r-child", memberId = child, score = 2 })).EnsureSuccessStatusCode();
        return (plan, child);
    }

    [Fact]
    public async Task a_member_sees_only_their_own_ratings_and_the_monitor_sees_all()
    {
        var (plan, child) = await PlanWithTwoRatings();

        var asOma = await plan.Member.Get<PlanStatus>($"/api/plans/{plan.PlanId}");
        asOma.Ratings.Select(r => (r.MemberId, r.Score)).ShouldBe([(plan.MemberId, 7)]);
        var asChild = await server.As("sanne", $"member:{child}").Get<PlanStatus>($"/api/plans/{plan.PlanId}");
        asChild.Ratings.Select(r => (r.MemberId, r.Score)).ShouldBe([(child, 2)]);

        var asMonitor = await plan.Status();
        asMonitor.Ratings.Select(r => r.MemberId).Order().ShouldBe(new[] { plan.MemberId, child }.Order());
    }

    [Fact]
    public async Task a_member_asking_for_an_earlier_version_or_moment_is_refused_and_a_professional_is_not()
    {
        var (plan, _) = await PlanWithTwoRatings();
        var now = await server.Now();

        foreach (var query in new[] { "?version=1", "?version=8", $"?asOf={Uri.EscapeDataString(now.ToString("O"))}" })
        {
            var refused = await plan.Member.GetAsync($"/api/plans/{plan.PlanId}{query}");
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, query);
            (await refused.Content.ReadAsStringAsync()).ShouldNotContain("\"ratings\"");
            (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}{query}")).StatusCode.ShouldBe(HttpStatusCode.OK, query);
        }
        (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
