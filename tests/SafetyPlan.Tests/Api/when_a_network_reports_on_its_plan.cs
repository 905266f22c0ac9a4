using System.Net;
using SafetyPlan.Tests.Contract;
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
        afterKept.Status.ShouldBe(Colour.Green);

        (await plan.CheckIn("not-kept")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var status = await plan.Status();
        status.Status.ShouldBe(Colour.Red);
        status.OpenEscalations.ShouldBe(1);
        status.BottomLines[0].Crossed.ShouldBeTrue();
        status.Agreements[0].NotKept.ShouldBe(1);

        var escalation = (await plan.Escalations("?state=open")).ShouldHaveSingleItem();
        (escalation.PlanId, escalation.MonitorId).ShouldBe((plan.PlanId, plan.MonitorId));

        var before = await plan.Status($"?version={afterKept.Version}");
        before.ShouldBe(afterKept with { AsOf = before.AsOf }); // green, at that version, with no open escalation
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
        var history = await plan.History();
        history.Count(e => e.Type == "check-in-logged").ShouldBe(50);
        history.Select(e => e.ClientId).Where(c => c is not null).Distinct().Count().ShouldBe(50);
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

        var history = await plan.History();
        var reports = history.Where(e => e.ClientId is not null).ToList();
        reports.Count.ShouldBe(clients * rounds);
        reports.Select(e => e.ClientId).Distinct().Count().ShouldBe(clients * rounds);
        history.Select(e => e.Version).ShouldBe(Enumerable.Range(1, history.Count).Select(v => (long)v));
        (await plan.Status()).Version.ShouldBe(history.Count); // the plan version is the number of its events
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
        var firstReceipt = await first.Read<CheckInReceipt>();
        foreach (var response in again)
            (await response.Read<CheckInReceipt>()).ShouldBe(firstReceipt);
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
        (await plan.Status()).Status.ShouldBe(Colour.Amber);

        var high = await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = "c-high", memberId = plan.MemberId, text = "Geschreeuw en glasgerinkel", severity = "high" });
        high.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Status()).Status.ShouldBe(Colour.Red);

        var escalation = (await plan.Escalations()).First(e => e.PlanId == plan.PlanId).Id;

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
        (status.Status, status.OpenEscalations).ShouldBe((Colour.Amber, 0));
        (await plan.Escalations("?state=resolved")).ShouldContain(e => e.Id == escalation);
    }

    [Fact]
    public async Task the_history_lists_every_event_in_order_with_who_caused_it()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        await plan.CheckIn("partly");

        var history = await plan.History(server.As("auditor-1", "auditor"));

        history.Select(e => e.Type).ShouldBe(["plan-drafted", "member-added", "safety-goal-set", "agreement-made", "plan-agreed", "check-in-logged"]);
        history.Select(e => e.Version).ShouldBe([1, 2, 3, 4, 5, 6]);
        history.Select(e => e.Sequence).ShouldBeInOrder();
        history[0].Actor.ShouldBe(plan.MonitorId);
        (history[5].Actor, history[5].CausationId, history[5].ActorRoles).ShouldBe(("oma", "LogCheckIn", $"member:{plan.MemberId}"));
        history[5].DataAs<CheckInData>().Outcome.ShouldBe(Outcome.Partly);
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
        var page = (await response.Read<List<HistoryEntry>>()).ShouldHaveSingleItem();
        page.DataAs<CheckInData>().Outcome.ShouldBe(Outcome.Partly);
        page.Description!.ShouldStartWith("Terugmelding: deels nagekomen");

        var start = (await plan.History(auditor))[0].At;
        (await plan.History(auditor, $"?to={Uri.EscapeDataString(start.AddTicks(-1).ToString("O"))}")).ShouldBeEmpty();
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

        var diff = await server.As("auditor-1", "auditor").Get<PlanDiff>($"/api/plans/{plan.PlanId}/diff?from=4&to=7");

        (diff.StateFrom, diff.StateTo).ShouldBe((State.Draft, State.Active));
        diff.Agreements.Added.Single().Id.ShouldBe(call);
        diff.Agreements.Removed.Single().Id.ShouldBe(plan.AgreementId);
        diff.Members.Added.ShouldBeEmpty();
        (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/diff?from=7&to=4")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/diff?from=1&to=99")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task as_of_a_moment_the_plan_is_answered_as_it_stood_then()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        var beforeBreach = (await (await plan.Professional.Post("/api/dev/clock", new { advance = "PT1H" })).Read<ClockResult>()).Now;
        await plan.Professional.Post("/api/dev/clock", new { advance = "PT1H" });
        await plan.CheckIn("not-kept");

        var then = await plan.Status($"?asOf={Uri.EscapeDataString(beforeBreach.ToString("O"))}");
        var now = await plan.Status();

        then.Status.ShouldBe(Colour.Green);
        now.Status.ShouldBe(Colour.Red);
        then.Version.ShouldBeLessThan(now.Version);
    }
}
