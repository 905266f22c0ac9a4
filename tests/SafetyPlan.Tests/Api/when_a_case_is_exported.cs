using System.Net;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class when_a_case_is_exported(ServerFixture server)
{
    [Fact]
    public async Task the_case_file_holds_compliance_escalation_response_times_and_the_timeline_as_json_and_printable_html()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        var escalation = (await (await plan.Professional.GetAsync("/api/escalations?state=open")).Json()).EnumerateArray()
            .First(e => e.GetProperty("planId").GetGuid() == plan.PlanId).GetProperty("id").GetGuid();
        await server.Advance("PT30M");
        (await plan.Professional.Post($"/api/escalations/{escalation}/acknowledge", new { })).EnsureSuccessStatusCode();
        var auditor = server.As("auditor-1", "auditor", language: "nl");

        var json = await (await auditor.GetAsync($"/api/plans/{plan.PlanId}/export")).Json();
        json.GetProperty("plan").GetProperty("agreements")[0].GetProperty("notKept").GetInt32().ShouldBe(1);
        json.GetProperty("escalations")[0].GetProperty("minutesToAcknowledge").GetDouble().ShouldBe(30);
        json.GetProperty("chain").GetProperty("intact").GetBoolean().ShouldBeTrue();
        json.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("type").GetString()).ShouldContain("escalation-acknowledged");

        var html = await auditor.GetAsync($"/api/plans/{plan.PlanId}/export?format=html");
        html.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await html.Content.ReadAsStringAsync();
        page.ShouldContain("<html lang=\"nl\">");
        page.ShouldContain("Naleving per afspraak");
        page.ShouldContain("Oma haalt de kinderen elke dag om 15:00 op.");
        page.ShouldContain("Escalatie bevestigd door");
        (await auditor.GetAsync($"/api/plans/{plan.PlanId}/export?format=pdf")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_member_exports_their_own_reports_and_nobody_elses()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = "e1", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "partly", note = "Te laat door de file" })).EnsureSuccessStatusCode();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "e2", memberId = plan.MemberId, score = 7 })).EnsureSuccessStatusCode();
        var neighbour = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman", role = "network" })).CreatedId();

        var mine = await (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/export")).Json();
        mine.GetProperty("name").GetString().ShouldBe("Oma Riet");
        mine.GetProperty("checkIns")[0].GetProperty("note").GetString().ShouldBe("Te laat door de file");
        mine.GetProperty("ratings")[0].GetProperty("score").GetInt32().ShouldBe(7);

        (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}/members/{neighbour}/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
