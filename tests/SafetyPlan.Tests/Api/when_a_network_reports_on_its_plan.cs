using System.Net;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class when_a_network_reports_on_its_plan(ServerFixture server)
{
    [Fact]
    public async Task a_not_kept_agreement_under_an_any_breach_bottom_line_turns_the_plan_red_with_one_escalation()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();

        (await plan.CheckIn("kept")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var afterKept = await plan.Status();
        afterKept.GetProperty("status").GetString().ShouldBe("green");
        var versionAfterKept = afterKept.GetProperty("version").GetInt32();

        (await plan.CheckIn("not-kept")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var status = await plan.Status();
        status.GetProperty("status").GetString().ShouldBe("red");
        status.GetProperty("openEscalations").GetInt32().ShouldBe(1);
        status.GetProperty("bottomLines")[0].GetProperty("crossed").GetBoolean().ShouldBeTrue();
        var agreement = status.GetProperty("agreements")[0];
        agreement.GetProperty("notKept").GetInt32().ShouldBe(1);

        var escalations = await (await plan.Professional.GetAsync("/api/escalations?state=open")).Json();
        escalations.GetArrayLength().ShouldBe(1);
        escalations[0].GetProperty("planId").GetGuid().ShouldBe(plan.PlanId);
        escalations[0].GetProperty("monitorId").GetString().ShouldBe(plan.MonitorId);

        var before = await plan.Status($"?version={versionAfterKept}");
        before.GetProperty("status").GetString().ShouldBe("green");
        before.GetProperty("version").GetInt32().ShouldBe(versionAfterKept);
        before.GetProperty("openEscalations").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task fifty_simultaneous_check_ins_on_one_plan_all_land_once()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var versionBefore = await server.StreamVersion(plan.PlanId);

        var member = plan.Member;
        var         responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            member.Post($"/api/plans/{plan.PlanId}/check-ins", new
            {
                clientId = $"phone-{i}", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "kept",
            })));

        responses.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.Created);
        (await server.StreamVersion(plan.PlanId)).ShouldBe(versionBefore + 50);
        var history = await (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history")).Json();
        history.EnumerateArray().Count(e => e.GetProperty("type").GetString() == "check-in-logged").ShouldBe(50);
        history.EnumerateArray().Select(e => e.GetProperty("data").TryGetProperty("clientId", out var c) ? c.GetString() : null)
            .Where(c => c is not null).Distinct().Count().ShouldBe(50);
    }

    [Fact]
    public async Task sixty_four_clients_reporting_at_once_for_many_rounds_lose_and_double_nothing()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "concern", minSeverity = "high" });
        await plan.Agreed();
        var member = plan.Member;
        const int clients = 64, rounds = 5;

        for (var round = 0; round < rounds; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => (i % 3) switch
            {
                0 => member.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = $"r{round}-{i}", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "kept" }),
                1 => member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = $"r{round}-{i}", memberId = plan.MemberId, score = i % 11 }),
                _ => member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = $"r{round}-{i}", memberId = plan.MemberId, text = "Zorg", severity = "low" }),
            }));
            responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
            // and every one of them again, as a phone that did not hear the answer would
            var repeats = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = $"r{round}-{i}", memberId = plan.MemberId, score = 1 })));
            repeats.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
        }

        var history = await (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history")).Json();
        var reports = history.EnumerateArray().Where(e => e.GetProperty("data").TryGetProperty("clientId", out _)).ToList();
        reports.Count.ShouldBe(clients * rounds);
        reports.Select(e => e.GetProperty("data").GetProperty("clientId").GetString()).Distinct().Count().ShouldBe(clients * rounds);
        history.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()).ShouldBe(Enumerable.Range(1, history.GetArrayLength()).Select(v => (long)v));
        (await plan.Status()).GetProperty("version").GetInt32().ShouldBe(history.GetArrayLength()); // the plan version is the number of its events
    }

    [Fact]
    public async Task repeating_a_client_id_answers_the_first_result_and_appends_nothing()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();

        var first = await plan.CheckIn("kept", clientId: "grandma-phone-1");
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var version = await server.StreamVersion(plan.PlanId);

        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => plan.CheckIn("kept", clientId: "grandma-phone-1")));

        again.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var firstBody = await first.Json();
        foreach (var response in again)
            (await response.Json()).GetProperty("id").GetGuid().ShouldBe(firstBody.GetProperty("id").GetGuid());
        (await server.StreamVersion(plan.PlanId)).ShouldBe(version);

        var concern = new { clientId = "c-1", memberId = plan.MemberId, text = "Moeder klonk vanavond dronken.", severity = "medium" };
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", concern)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", concern)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var rating = new { clientId = "r-1", memberId = plan.MemberId, score = 6 };
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", rating)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", rating)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.StreamVersion(plan.PlanId)).ShouldBe(version + 3); // concern + its breach, rating
    }

    [Fact]
    public async Task a_high_concern_crosses_a_concern_bottom_line_and_the_monitor_can_acknowledge_and_resolve_it()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "concern", minSeverity = "high" });
        await plan.Agreed();

        var low = await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = "c-low", memberId = plan.MemberId, text = "Onrustig", severity = "low" });
        low.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Status()).GetProperty("status").GetString().ShouldBe("amber");

        var high = await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = "c-high", memberId = plan.MemberId, text = "Geschreeuw en glasgerinkel", severity = "high" });
        high.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Status()).GetProperty("status").GetString().ShouldBe("red");

        var escalation = (await (await plan.Professional.GetAsync("/api/escalations")).Json())[0].GetProperty("id").GetGuid();

        var stranger = server.As("someone-else", "professional");
        (await stranger.Post($"/api/escalations/{escalation}/acknowledge", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var backup = server.As(plan.BackupId, "professional");
        (await backup.Post($"/api/escalations/{escalation}/acknowledge", new { note = "Ik bel moeder." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var eventsAfterAck = await server.DomainEvents(plan.PlanId);
        (await backup.Post($"/api/escalations/{escalation}/acknowledge", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.DomainEvents(plan.PlanId)).ShouldBe(eventsAfterAck);

        (await plan.Professional.Post($"/api/escalations/{escalation}/resolve", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await plan.Professional.Post($"/api/escalations/{escalation}/resolve", new { note = "Huisbezoek gedaan; afspraken herhaald." })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var status = await plan.Status();
        status.GetProperty("status").GetString().ShouldBe("amber");
        status.GetProperty("openEscalations").GetInt32().ShouldBe(0);
        (await (await plan.Professional.GetAsync("/api/escalations?state=resolved")).Json()).EnumerateArray()
            .ShouldContain(e => e.GetProperty("id").GetGuid() == escalation);
    }

    [Fact]
    public async Task the_history_lists_every_event_in_order_with_who_caused_it()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        await plan.CheckIn("partly");

        var history = await (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/history")).Json();

        var types = history.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        types.ShouldBe(["plan-drafted", "member-added", "safety-goal-set", "agreement-made", "plan-agreed", "check-in-logged"]);
        history.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()).ShouldBe([1, 2, 3, 4, 5, 6]);
        history.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ShouldBeInOrder();
        history[0].GetProperty("actor").GetString().ShouldBe(plan.MonitorId);
        history[5].GetProperty("actor").GetString().ShouldBe("oma");
        history[5].GetProperty("data").GetProperty("outcome").GetString().ShouldBe("partly");
        history[5].GetProperty("causationId").GetString().ShouldBe("LogCheckIn");
        history[5].GetProperty("actorRoles").GetString().ShouldBe($"member:{plan.MemberId}");
    }

    [Fact]
    public async Task auditors_filter_and_page_the_history_and_read_it_in_dutch()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        await plan.CheckIn("kept");
        await plan.CheckIn("partly");
        var auditor = server.As("auditor-1", "auditor", language: "nl");

        var response = await auditor.GetAsync($"/api/plans/{plan.PlanId}/history?type=check-in-logged&take=1&skip=1");
        response.Headers.GetValues("X-Total-Count").Single().ShouldBe("2");
        var page = await response.Json();
        page.GetArrayLength().ShouldBe(1);
        page[0].GetProperty("data").GetProperty("outcome").GetString().ShouldBe("partly");
        page[0].GetProperty("description").GetString()!.ShouldStartWith("Terugmelding: deels nagekomen");

        var start = (await (await auditor.GetAsync($"/api/plans/{plan.PlanId}/history")).Json())[0].GetProperty("at").GetDateTimeOffset();
        var none = await (await auditor.GetAsync($"/api/plans/{plan.PlanId}/history?to={Uri.EscapeDataString(start.AddTicks(-1).ToString("O"))}")).Json();
        none.GetArrayLength().ShouldBe(0);
        (await auditor.GetAsync($"/api/plans/{plan.PlanId}/history?take=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task the_difference_between_two_versions_names_what_was_added_and_withdrawn()
    {
        var plan = await new PlanBuilder(server).Drafted(); // versions 1-4: drafted, member, goal, agreement
        await plan.Agreed();                                 // 5
        var call = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/agreements", new { text = "Moeder belt", responsibleMemberId = plan.MemberId, schedule = new { daily = "20:00" } })).CreatedId();
        var withdraw = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{plan.PlanId}/agreements/{plan.AgreementId}") { Content = System.Net.Http.Json.JsonContent.Create(new { reason = "Verhuisd" }) };
        (await plan.Professional.SendAsync(withdraw)).StatusCode.ShouldBe(HttpStatusCode.NoContent); // 7

        var diff = await (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/diff?from=4&to=7")).Json();

        diff.GetProperty("stateFrom").GetString().ShouldBe("draft");
        diff.GetProperty("stateTo").GetString().ShouldBe("active");
        diff.GetProperty("agreements").GetProperty("added").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(call);
        diff.GetProperty("agreements").GetProperty("removed").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(plan.AgreementId);
        diff.GetProperty("members").GetProperty("added").GetArrayLength().ShouldBe(0);
        (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/diff?from=7&to=4")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/diff?from=1&to=99")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task as_of_a_moment_the_plan_is_answered_as_it_stood_then()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        var beforeBreach = (await (await plan.Professional.Post("/api/dev/clock", new { advance = "PT1H" })).Json()).GetProperty("now").GetDateTimeOffset();
        await plan.Professional.Post("/api/dev/clock", new { advance = "PT1H" });
        await plan.CheckIn("not-kept");

        var then = await plan.Status($"?asOf={Uri.EscapeDataString(beforeBreach.ToString("O"))}");
        var now = await plan.Status();

        then.GetProperty("status").GetString().ShouldBe("green");
        now.GetProperty("status").GetString().ShouldBe("red");
        then.GetProperty("version").GetInt32().ShouldBeLessThan(now.GetProperty("version").GetInt32());
    }
}
