using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Every answer a route can give is in the OpenAPI document, declared by the type its endpoint returns
/// (SafetyPlan.Web.DecisionAnswer) rather than by hand: a plan command can be refused as invalid (400), not allowed (403),
/// about something that does not exist (404) or impossible in the plan's state, or changed at the same moment (409).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_client_reads_the_openapi_document(ServerFixture server)
{
    private static readonly string[] PlanCommands =
    [
        "POST /api/plans/{planId}/members", "DELETE /api/plans/{planId}/members/{memberId}",
        "PUT /api/plans/{planId}/members/{memberId}/reminders",
        "POST /api/plans/{planId}/goals",
        "POST /api/plans/{planId}/agreements", "DELETE /api/plans/{planId}/agreements/{agreementId}",
        "POST /api/plans/{planId}/bottom-lines", "DELETE /api/plans/{planId}/bottom-lines/{bottomLineId}",
        "POST /api/plans/{planId}/agree", "POST /api/plans/{planId}/evaluations",
        "POST /api/plans/{planId}/handover",
        "POST /api/plans/{planId}/conference-sessions",
        "POST /api/plans/{planId}/members/{memberId}/links", "DELETE /api/plans/{planId}/members/{memberId}/links/{linkId}",
        "POST /api/plans/{planId}/check-ins", "POST /api/plans/{planId}/concerns", "POST /api/plans/{planId}/ratings",
        "POST /api/escalations/{escalationId}/acknowledge", "POST /api/escalations/{escalationId}/resolve",
        "POST /api/plans/{planId}/case-audits", "PUT /api/plans/{planId}/case-audits/{auditId}", "POST /api/plans/{planId}/case-audits/{auditId}/sign",
    ];

    private async Task<IReadOnlyList<string>> Answers(string route)
    {
        var document = await (await server.As("admin-1", "admin").GetAsync("/openapi/v1.json")).Json();
        var (method, path) = (route.Split(' ')[0].ToLowerInvariant(), route.Split(' ')[1]);
        return document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses")
            .EnumerateObject().Select(r => r.Name).Order().ToList();
    }

    [Fact]
    public async Task a_check_in_declares_created_the_repeat_and_every_refusal()
    {
        (await Answers("POST /api/plans/{planId}/check-ins")).ShouldBe(["200", "201", "400", "403", "404", "409"]);
    }

    [Fact]
    public async Task every_plan_command_declares_every_refusal()
    {
        foreach (var route in PlanCommands)
        {
            var answers = await Answers(route);
            foreach (var status in new[] { "400", "403", "404", "409" }) answers.ShouldContain(status, $"{route} does not declare {status}");
        }
    }

    [Fact]
    public async Task a_removal_answers_204_and_a_creation_201()
    {
        (await Answers("DELETE /api/plans/{planId}/agreements/{agreementId}")).ShouldContain("204");
        (await Answers("POST /api/plans/{planId}/goals")).ShouldContain("201");
        (await Answers("POST /api/plans/{planId}/agree")).ShouldContain("200");
        (await Answers("POST /api/plans/{planId}/handover")).ShouldContain("200");
        (await Answers("PUT /api/plans/{planId}/members/{memberId}/reminders")).ShouldContain("204");
    }
}
