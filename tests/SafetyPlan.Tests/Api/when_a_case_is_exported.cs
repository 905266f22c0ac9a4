using System.Net;
using SafetyPlan.Tests.Contract;
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
        var escalation = (await plan.Escalations("?state=open")).First(e => e.PlanId == plan.PlanId).Id;
        await server.Advance("PT30M");
        (await plan.Professional.Post($"/api/escalations/{escalation}/acknowledge", new { })).EnsureSuccessStatusCode();
        var auditor = server.As("auditor-1", "auditor", language: "nl");

        var file = await auditor.Get<CaseFile>($"/api/plans/{plan.PlanId}/export");
        file.Plan.Agreements[0].NotKept.ShouldBe(1);
        file.Escalations[0].MinutesToAcknowledge.ShouldBe(30);
        file.Chain!.Intact.ShouldBeTrue();
        file.Timeline.Select(t => t.Type).ShouldContain("escalation-acknowledged");

        var html = await auditor.GetAsync($"/api/plans/{plan.PlanId}/export?format=html");
        html.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await html.Content.ReadAsStringAsync();
        page.ShouldContain("<html lang=\"nl\">");
        page.ShouldContain("Naleving per afspraak");
        page.ShouldContain("Oma haalt de kinderen elke dag om 15:00 op.");
        page.ShouldContain("Escalatie bevestigd door");
        (await auditor.GetAsync($"/api/plans/{plan.PlanId}/export?format=pdf")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    /// <summary><c>GET /api/plans/{planId}/members/{memberId}/export</c>: what the plan holds about one member.</summary>
    private sealed record MemberExport(string Name, Values<CheckInData> CheckIns, Values<RatingStatus> Ratings);

    [Fact]
    public async Task a_member_exports_their_own_reports_and_nobody_elses()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = "e1", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "partly", note = "Te laat door de file" })).EnsureSuccessStatusCode();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "e2", memberId = plan.MemberId, score = 7 })).EnsureSuccessStatusCode();
        var neighbour = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman", role = "network" })).CreatedId();

        var mine = await plan.Member.Get<MemberExport>($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/export");
        mine.Name.ShouldBe("Oma Riet");
        mine.CheckIns[0].Note.ShouldBe("Te laat door de file");
        mine.Ratings[0].Score.ShouldBe(7);

        (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}/members/{neighbour}/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
