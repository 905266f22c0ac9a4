using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Bad input never reaches the event store: each refusal is problem+json and leaves the stream unchanged.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_request_is_wrong(ServerFixture server)
{
    private async Task Refused(PlanBuilder plan, HttpResponseMessage response, HttpStatusCode expected, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Json();
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        if (field is not null) problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
    }

    [Fact]
    public async Task invalid_fields_answer_400_with_the_field_and_append_nothing()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var p = plan.Professional;
        var id = plan.PlanId;
        var before = await server.TotalEvents();

        await Refused(plan, await p.Post("/api/plans", new { family = "x", monitorId = "m" }), HttpStatusCode.BadRequest, "title");
        await Refused(plan, await p.Post("/api/plans", new { title = "t", family = "x", monitorId = "m", timeZone = "Mars/Olympus" }), HttpStatusCode.BadRequest, "timeZone");
        await Refused(plan, await p.Post("/api/plans", new { title = "t", family = "x", monitorId = "m\u0000" }), HttpStatusCode.BadRequest, "monitorId");
        await Refused(plan, await p.Post($"/api/plans/{id}/members", new { name = "x", role = "uncle" }), HttpStatusCode.BadRequest, "role");
        await Refused(plan, await p.Post($"/api/plans/{id}/members", new { name = "x", role = "parent", email = "not-an-address" }), HttpStatusCode.BadRequest, "email");
        await Refused(plan, await p.Post($"/api/plans/{id}/goals", new { danger = "d" }), HttpStatusCode.BadRequest, "goal");
        await Refused(plan, await p.Post($"/api/plans/{id}/agreements", new { text = "x", responsibleMemberId = plan.MemberId, schedule = new { weekly = Array.Empty<string>(), at = "19:00" } }), HttpStatusCode.BadRequest, "schedule.weekly");
        await Refused(plan, await p.Post($"/api/plans/{id}/agreements", new { text = "x", responsibleMemberId = plan.MemberId, schedule = new { daily = "25:00" } }), HttpStatusCode.BadRequest, "schedule.daily");
        await Refused(plan, await p.Post($"/api/plans/{id}/agreements", new { text = "x", responsibleMemberId = plan.MemberId, schedule = new { once = "2020-01-01T18:00+01:00" } }), HttpStatusCode.BadRequest, "schedule.once");
        await Refused(plan, await p.Post($"/api/plans/{id}/agreements", new { text = "x", responsibleMemberId = plan.MemberId, schedule = new { daily = "18:00", once = "2030-01-01T18:00+01:00" } }), HttpStatusCode.BadRequest, "schedule");
        await Refused(plan, await p.Post($"/api/plans/{id}/agreements", new { text = "x", responsibleMemberId = plan.MemberId, schedule = new { daily = "18:00" }, grace = "4 hours" }), HttpStatusCode.BadRequest, "grace");
        await Refused(plan, await p.Post($"/api/plans/{id}/bottom-lines", new { text = "x", rule = new { kind = "breaches", count = 0, within = "P14D" } }), HttpStatusCode.BadRequest, "rule.count");
        await Refused(plan, await p.Post($"/api/plans/{id}/bottom-lines", new { text = "x", rule = new { kind = "whenever" } }), HttpStatusCode.BadRequest, "rule.kind");
        await Refused(plan, await p.Post($"/api/plans/{id}/bottom-lines", new { text = "x", rule = new { kind = "any-breach" } }), HttpStatusCode.BadRequest, "rule.agreementId");
        await Refused(plan, await p.Post($"/api/plans/{id}/bottom-lines", new { text = "x", rule = new { kind = "silence", @for = "PT72" } }), HttpStatusCode.BadRequest, "rule.for");
        await Refused(plan, await p.Post($"/api/plans/{id}/agree", new { }), HttpStatusCode.BadRequest, "evaluationDue");
        await Refused(plan, await p.Post($"/api/plans/{id}/agree", new { evaluationDue = "2026-01-01" }), HttpStatusCode.BadRequest, "evaluationDue");
        await plan.Agreed();
        var agreed = await server.TotalEvents();
        await Refused(plan, await plan.Member.Post($"/api/plans/{id}/ratings", new { clientId = "r", memberId = plan.MemberId, score = 11 }), HttpStatusCode.BadRequest, "score");
        await Refused(plan, await plan.Member.Post($"/api/plans/{id}/check-ins", new { clientId = "c", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "maybe" }), HttpStatusCode.BadRequest, "outcome");
        await Refused(plan, await plan.Member.Post($"/api/plans/{id}/check-ins", new { clientId = "c", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "kept", occurrence = "2027-01-04T16:30:00+01:00" }), HttpStatusCode.BadRequest, "occurrence");
        await Refused(plan, await plan.Member.Post($"/api/plans/{id}/concerns", new { clientId = "c", memberId = plan.MemberId, text = "", severity = "high" }), HttpStatusCode.BadRequest, "text");
        await Refused(plan, await p.Post($"/api/plans/{id}/evaluations", new { outcome = "celebrate", notes = "n" }), HttpStatusCode.BadRequest, "outcome");

        var malformed = new StringContent("{\"clientId\": ", System.Text.Encoding.UTF8, "application/json");
        await Refused(plan, await plan.Member.PostAsync($"/api/plans/{id}/check-ins", malformed), HttpStatusCode.BadRequest);

        (await server.TotalEvents()).ShouldBe(agreed);
        agreed.ShouldBe(before + 1); // only the successful agree in between
    }

    [Fact]
    public async Task unknown_ids_answer_404()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var p = plan.Professional;
        var unknown = Guid.NewGuid();
        var version = await server.StreamVersion(plan.PlanId);

        await Refused(plan, await p.GetAsync($"/api/plans/{unknown}"), HttpStatusCode.NotFound);
        await Refused(plan, await p.GetAsync($"/api/plans/{unknown}/history"), HttpStatusCode.NotFound);
        await Refused(plan, await p.Post($"/api/plans/{unknown}/members", new { name = "x", role = "parent" }), HttpStatusCode.NotFound);
        await Refused(plan, await p.Post($"/api/plans/{plan.PlanId}/agreements", new { text = "x", responsibleMemberId = unknown, schedule = new { daily = "18:00" } }), HttpStatusCode.NotFound);
        await Refused(plan, await p.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = "x", agreementId = unknown, memberId = plan.MemberId, outcome = "kept" }), HttpStatusCode.NotFound);
        await Refused(plan, await p.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = "x", agreementId = plan.AgreementId, memberId = unknown, outcome = "kept" }), HttpStatusCode.NotFound);
        await Refused(plan, await p.Post($"/api/escalations/{unknown}/acknowledge", new { }), HttpStatusCode.NotFound);
        await Refused(plan, await server.As("admin-1", "admin").GetAsync($"/api/users/nobody-{unknown}"), HttpStatusCode.NotFound);
        var withdraw = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{plan.PlanId}/agreements/{unknown}") { Content = System.Net.Http.Json.JsonContent.Create(new { reason = "x" }) };
        await Refused(plan, await p.SendAsync(withdraw), HttpStatusCode.NotFound);

        (await server.StreamVersion(plan.PlanId)).ShouldBe(version);
    }

    [Fact]
    public async Task what_the_plans_state_forbids_answers_409()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var id = plan.PlanId;

        await Refused(plan, await plan.CheckIn("kept"), HttpStatusCode.Conflict); // not agreed yet
        await Refused(plan, await plan.Professional.Post($"/api/plans/{id}/evaluations", new { outcome = "continue", notes = "n" }), HttpStatusCode.Conflict);

        await plan.Agreed();
        await Refused(plan, await plan.Professional.Post($"/api/plans/{id}/agree", new { evaluationDue = server.EvaluationDue() }), HttpStatusCode.Conflict);

        var withdraw = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{id}/agreements/{plan.AgreementId}") { Content = System.Net.Http.Json.JsonContent.Create(new { reason = "Oma is verhuisd." }) };
        (await plan.Professional.SendAsync(withdraw)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var version = await server.StreamVersion(id);
        await Refused(plan, await plan.CheckIn("kept"), HttpStatusCode.Conflict); // withdrawn agreement
        (await server.StreamVersion(id)).ShouldBe(version);

        (await plan.Professional.Post($"/api/plans/{id}/evaluations", new { outcome = "close", notes = "Het gaat goed; het netwerk gaat zelf verder." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var closed = await server.StreamVersion(id);
        await Refused(plan, await plan.Member.Post($"/api/plans/{id}/ratings", new { clientId = "late", memberId = plan.MemberId, score = 8 }), HttpStatusCode.Conflict);
        await Refused(plan, await plan.Professional.Post($"/api/plans/{id}/members", new { name = "x", role = "parent" }), HttpStatusCode.Conflict);
        (await server.StreamVersion(id)).ShouldBe(closed);
        (await plan.Status()).State.ShouldBe(State.Closed);
    }

    [Fact]
    public async Task errors_are_in_dutch_when_the_caller_asks_for_dutch()
    {
        var dutch = server.As("anna", "professional", language: "nl");
        var problem = await (await dutch.Post("/api/plans", new { family = "x", monitorId = "m" })).Json();
        problem.GetProperty("errors").GetProperty("title")[0].GetString().ShouldBe("'title' is verplicht.");
    }
}
