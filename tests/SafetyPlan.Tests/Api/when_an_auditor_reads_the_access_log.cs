using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static SafetyPlan.Tests.Infrastructure.PageForms;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The access log per NEN 7513 (docs/security.md, "Access log"): every read of case data by a person, allowed or refused,
/// with who, on whose behalf, organisation, plan, what, when, origin and result; organisation-wide for auditors, with
/// filters, paging and an export.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_auditor_reads_the_access_log(ServerFixture server)
{
    /// <summary>One entry of <c>GET /api/access-log</c>.</summary>
    private sealed record Entry(DateTimeOffset At, string UserId, string? OnBehalfOf, string Organisation, Guid? PlanId,
        string Action, string What, string Origin, string Result, int Status);

    private Task<List<Entry>> Log(string query, string organisation = "default") =>
        server.In(organisation, "auditor-1", "auditor").Get<List<Entry>>($"/api/access-log{query}");

    [Fact]
    public async Task reads_by_a_professional_and_a_member_and_a_refused_read_are_logged_with_who_what_when_and_result()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var now = await server.Now();
        var stranger = $"stranger-{Guid.NewGuid():N}";
        (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history")).EnsureSuccessStatusCode();
        (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/export")).EnsureSuccessStatusCode();
        (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}")).EnsureSuccessStatusCode();
        (await server.As(stranger, "professional").GetAsync($"/api/plans/{plan.PlanId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // A member asking for the history: refused by the role policy, before any plan is read.
        (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}/history")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var log = (await Log($"?planId={plan.PlanId}")).OrderBy(e => e.At).ThenBy(e => e.What).ToList();

        var member = $"member:{plan.MemberId}";
        log.Select(e => e with { At = default }).ShouldBe([
            new(default, plan.MonitorId, null, "default", plan.PlanId, "read GET /api/plans/{planId:guid}/history", $"GET /api/plans/{plan.PlanId}/history", "unknown", "allowed", 200),
            new(default, plan.MonitorId, member, "default", plan.PlanId, "export GET /api/plans/{planId:guid}/members/{memberId:guid}/export", $"GET /api/plans/{plan.PlanId}/members/{plan.MemberId}/export", "unknown", "allowed", 200),
            new(default, "oma", member, "default", plan.PlanId, "read GET /api/plans/{planId:guid}", $"GET /api/plans/{plan.PlanId}", "unknown", "allowed", 200),
            new(default, stranger, null, "default", plan.PlanId, "read GET /api/plans/{planId:guid}", $"GET /api/plans/{plan.PlanId}", "unknown", "refused", 403),
            new(default, "oma", member, "default", plan.PlanId, "read GET /api/plans/{planId:guid}/history", $"GET /api/plans/{plan.PlanId}/history", "unknown", "refused", 403),
        ], ignoreOrder: true);
        // When: SafetyPlan's clock (the manual one in these tests), not the machine's.
        log.ShouldAllBe(e => e.At == now);
    }

    [Fact]
    public async Task an_auditor_sees_their_own_organisations_reads_and_none_of_another()
    {
        var organisation = $"org-{Guid.NewGuid():N}";
        var other = $"org-{Guid.NewGuid():N}";
        var reader = $"reader-{Guid.NewGuid():N}";
        (await server.In(organisation, reader, "professional").GetAsync("/api/plans")).EnsureSuccessStatusCode();
        (await server.In(other, reader, "professional").GetAsync("/api/plans?status=red")).EnsureSuccessStatusCode();
        (await server.In(other, reader, "professional").GetAsync($"/api/plans/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var own = await Log($"?userId={reader}", organisation);
        own.Select(e => (e.Organisation, e.Action, e.What, e.Result)).ShouldBe([(organisation, "search GET /api/plans", "GET /api/plans", "allowed")]);
        var theirs = await Log($"?userId={reader}", other);
        theirs.Select(e => (e.Organisation, e.Result)).ShouldBe([(other, "refused"), (other, "allowed")], ignoreOrder: true);
        (await Log($"?userId={reader}&result=refused", other)).Single().Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_professional_may_not_read_the_log_and_a_bad_filter_is_named()
    {
        var plan = await new PlanBuilder(server).Drafted();
        (await plan.Professional.GetAsync("/api/access-log")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await plan.Member.GetAsync("/api/access-log")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var bad = await server.As("auditor-1", "auditor").GetAsync("/api/access-log?result=maybe&from=2027-01-01T00:00");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Json()).GetProperty("errors");
        (errors.TryGetProperty("result", out _), errors.TryGetProperty("from", out _)).ShouldBe((true, true));
        // The professional's attempt is itself in the log, refused.
        (await Log($"?userId={plan.MonitorId}&result=refused")).Select(e => e.What).ShouldBe(["GET /api/access-log"]);
    }

    [Fact]
    public async Task the_log_is_paged_newest_first_and_exported_as_json_lines_and_csv()
    {
        var plan = await new PlanBuilder(server).Drafted();
        for (var i = 0; i < 3; i++)
        {
            (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}?version={i + 1}")).EnsureSuccessStatusCode();
            await server.Advance("PT1M");
        }
        var auditor = server.As("auditor-1", "auditor");

        var first = await auditor.GetAsync($"/api/access-log?planId={plan.PlanId}&userId={plan.MonitorId}&take=2");
        first.Headers.GetValues("X-Total-Count").Single().ShouldBe("3");
        var page = await first.Read<List<Entry>>();
        page.Select(e => e.What).ShouldBe([$"GET /api/plans/{plan.PlanId}?version=3", $"GET /api/plans/{plan.PlanId}?version=2"]);
        var next = first.Headers.GetValues("Link").Single();
        next.ShouldContain("skip=2");
        var rest = await auditor.Get<List<Entry>>(next[1..next.IndexOf('>')]);
        rest.Select(e => e.What).ShouldBe([$"GET /api/plans/{plan.PlanId}?version=1"]);

        var lines = await (await auditor.GetAsync($"/api/access-log?planId={plan.PlanId}&userId={plan.MonitorId}&format=jsonl")).Content.ReadAsStringAsync();
        lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<Entry>(l, ServerFixture.Json)!.What)
            .ShouldBe(page.Select(e => e.What).Concat(rest.Select(e => e.What)));

        var csv = await auditor.GetAsync($"/api/access-log?planId={plan.PlanId}&userId={plan.MonitorId}&format=csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldBe("at,userId,onBehalfOf,organisation,planId,action,what,origin,result,status");
        rows.Length.ShouldBe(4);
        rows[1].ShouldContain($",{plan.MonitorId},,default,{plan.PlanId},read GET /api/plans/{{planId:guid}},GET /api/plans/{plan.PlanId}?version=3,unknown,allowed,200");
    }

    [Fact]
    public async Task the_pages_reads_are_logged_too()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var monitor = plan.Professional;
        (await monitor.GetAsync($"/plans/{plan.PlanId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await monitor.GetAsync($"/plans/{plan.PlanId}/timeline")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await monitor.GetAsync($"/plans/{plan.PlanId}/conference")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await monitor.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await plan.Member.GetAsync("/member")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var reads = await Log($"?userId={plan.MonitorId}");
        reads.Select(e => (e.Action, e.PlanId, e.Result)).ShouldBe([
            ("page GET /plans/{planId:guid}", plan.PlanId, "allowed"),
            ("page GET /plans/{planId:guid}/timeline", plan.PlanId, "allowed"),
            ("page GET /plans/{planId:guid}/conference", plan.PlanId, "allowed"),
            ("page GET /dashboard", (Guid?)null, "allowed"),
        ], ignoreOrder: true);
        (await Log($"?userId=oma&planId={plan.PlanId}")).Select(e => (e.Action, e.OnBehalfOf)).ShouldBe([("page GET /member", (string?)$"member:{plan.MemberId}")]);
    }

    [Fact]
    public async Task a_refused_page_save_that_shows_the_newer_text_and_an_api_write_that_answers_with_case_data_are_logged_with_method_and_status()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var auditor = server.As($"auditor-{Guid.NewGuid():N}"[..20], "auditor");
        var audit = await (await auditor.Post($"/api/plans/{plan.PlanId}/case-audits", new { professionalId = plan.MonitorId })).CreatedId();
        var api = $"/api/plans/{plan.PlanId}/case-audits/{audit}";
        (await auditor.PutAsJsonAsync(api, new { reflection = "v1", learningPoints = "" }, ServerFixture.Json)).EnsureSuccessStatusCode();
        (await auditor.PutAsJsonAsync(api, new { reflection = "v2 van de auditor", learningPoints = "" }, ServerFixture.Json)).EnsureSuccessStatusCode();

        // The monitor's form was read at revision 1: the save is refused and the page shows the auditor's newer text.
        var browser = server.Browser();
        await SignIn(browser, plan.MonitorId, "professional");
        var page = $"/plans/{plan.PlanId}/case-audits/{audit}";
        var refused = await browser.PostAsync($"{page}?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Token(browser, page), ["scores[family-heard]"] = "4", ["notes[family-heard]"] = "",
            ["reflection"] = "geheime tekst van de monitor", ["learningPoints"] = "", ["revision"] = "1",
        }));
        var html = await refused.Content.ReadAsStringAsync();
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, html);
        html.ShouldContain("v2 van de auditor");

        var log = await Log($"?planId={plan.PlanId}&userId={plan.MonitorId}");
        log.Select(e => (e.Action, e.What, e.Result, e.Status)).ShouldBe([
            ("page GET /plans/{planId:guid}/case-audits/{auditId:guid}", $"GET {page}", "allowed", 200),
            ("page POST /plans/{planId:guid}/case-audits/{auditId:guid}", $"POST {page}?handler=Save", "refused", 409),
        ], ignoreOrder: true);
        log.ShouldAllBe(e => !e.What.Contains("geheime")); // never the body
        var writes = (await Log($"?planId={plan.PlanId}")).Where(e => e.Action.StartsWith("write ", StringComparison.Ordinal)).ToList();
        writes.Select(e => (e.Action, e.What, e.Result, e.Status)).ShouldBe([
            ("write PUT /api/plans/{planId:guid}/case-audits/{auditId:guid}", $"PUT {api}", "allowed", 200),
            ("write PUT /api/plans/{planId:guid}/case-audits/{auditId:guid}", $"PUT {api}", "allowed", 200),
        ]);
    }
}
