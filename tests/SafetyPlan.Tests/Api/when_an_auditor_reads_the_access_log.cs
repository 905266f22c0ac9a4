using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SafetyPlan.Audit;
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

    [Fact]
    public async Task a_refused_form_on_the_plan_page_and_on_the_member_page_is_logged_with_the_plan_it_showed()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();

        // The plan page re-renders the plan (its family, its agreements) beside the refusal of a handover without a note.
        var professional = server.Browser();
        await SignIn(professional, plan.MonitorId, "professional");
        var planPage = $"/plans/{plan.PlanId}";
        var handover = await professional.PostAsync($"{planPage}?handler=Handover", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Token(professional, planPage), ["toMonitorId"] = plan.BackupId, ["note"] = "",
        }));
        var planHtml = await handover.Content.ReadAsStringAsync();
        handover.StatusCode.ShouldBe(HttpStatusCode.BadRequest, planHtml);
        planHtml.ShouldContain("Oma haalt de kinderen elke dag om 15:00 op.");

        // The member page, whose address names no plan, re-renders the member's plan beside a refused check-in.
        var member = server.Browser();
        var oma = $"oma-{Guid.NewGuid():N}"[..16];
        await SignIn(member, oma, $"member:{plan.MemberId}");
        var checkIn = await member.PostAsync("/member?handler=CheckIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Token(member, "/member"), ["clientId"] = $"web-{Guid.NewGuid():N}",
            ["agreementId"] = plan.AgreementId.ToString(), ["outcome"] = "",
        }));
        var memberHtml = await checkIn.Content.ReadAsStringAsync();
        checkIn.StatusCode.ShouldBe(HttpStatusCode.BadRequest, memberHtml);
        memberHtml.ShouldContain("Oma haalt de kinderen elke dag om 15:00 op.");

        var posts = (await Log($"?planId={plan.PlanId}")).Where(e => e.What.StartsWith("POST ", StringComparison.Ordinal)).ToList();
        posts.Select(e => (e.UserId, e.OnBehalfOf, e.Action, e.What, e.Result, e.Status)).ShouldBe([
            (plan.MonitorId, (string?)null, "page POST /plans/{planId:guid}", $"POST {planPage}?handler=Handover", "refused", 400),
            (oma, $"member:{plan.MemberId}", "page POST /member", "POST /member?handler=CheckIn", "refused", 400),
        ], ignoreOrder: true);
    }

    /// <summary>
    /// The endpoints that show no case data, so that the access log leaves them out, each with why. Every other page and
    /// route is marked <see cref="CaseDataReadAttribute"/>, and then every request to it, whatever its method, is logged.
    /// </summary>
    private static readonly Dictionary<string, string> ShowsNoCaseData = new()
    {
        ["* /access-denied"] = "a fixed page", ["* /language"] = "sets the language cookie",
        ["* /sign-in"] = "the sign-in form", ["* /sign-out"] = "ends the cookie", ["POST /sign-out"] = "ends the cookie",
        ["* /plans/new"] = "no plan exists yet; a refusal shows only what the caller typed",
        ["* /hangfire/{**path}"] = "the job dashboard: job names and states, no case content (admins, operators)",
        ["* /health"] = "the health status",
        ["GET /api-docs/{documentName?}"] = "the API explorer", ["GET /api-docs/favicon.svg"] = "the API explorer",
        ["GET /api-docs/scalar.aspnetcore.js"] = "the API explorer", ["GET /api-docs/scalar.js"] = "the API explorer",
        ["GET /openapi/{documentName}.json"] = "the OpenAPI document", ["GET /assets/{name}"] = "scripts and styles",
        ["GET /manifest.webmanifest"] = "the web app manifest", ["GET /sw.js"] = "the service worker", ["GET /api/push/key"] = "the VAPID public key",
        ["GET /api/notifications"] = "the reader's own inbox: waiting-room messages (security.md, \"Not reads of case data\")",
        ["GET /api/statistics/daily"] = "counts across the organisation, no client (security.md, \"Not reads of case data\")",
        ["GET /api/users/{userId}"] = "a professional's account, no client", ["PUT /api/users/{userId}"] = "a professional's account, no client",
        ["DELETE /api/users/{userId}"] = "a professional's account, no client",
        ["GET /api/organisations/{organisationId}"] = "the organisation's name, teams and duty professional",
        ["PUT /api/organisations/{organisationId}"] = "the organisation's name, teams and duty professional",
        ["DELETE /api/organisations/{organisationId}/webhook"] = "the organisation's webhook",
        ["POST /api/me/push-subscriptions/"] = "the caller's own push subscription", ["DELETE /api/me/push-subscriptions/"] = "the caller's own push subscription",
        ["POST /api/dev/clock"] = "the manual clock (tests and demos)",
        ["GET /l/{token}"] = "signs a member in and redirects; the member page it leads to is logged",
        ["GET /l/{token}/calendar.ics"] = "logs itself: no signed-in person (security.md, \"Web Push and the calendar feed\")",
        // Commands: their answer is an id, a state or a receipt, and a refusal names fields, never a text of the case.
        ["POST /api/plans/"] = "answers an id", ["POST /api/plans/{planId:guid}/members"] = "answers an id",
        ["DELETE /api/plans/{planId:guid}/members/{memberId:guid}"] = "answers nothing",
        ["PUT /api/plans/{planId:guid}/members/{memberId:guid}/reminders"] = "answers the setting",
        ["POST /api/plans/{planId:guid}/goals"] = "answers an id", ["POST /api/plans/{planId:guid}/agreements"] = "answers an id",
        ["DELETE /api/plans/{planId:guid}/agreements/{agreementId:guid}"] = "answers nothing",
        ["POST /api/plans/{planId:guid}/bottom-lines"] = "answers an id",
        ["DELETE /api/plans/{planId:guid}/bottom-lines/{bottomLineId:guid}"] = "answers nothing",
        ["POST /api/plans/{planId:guid}/agree"] = "answers the state and evaluation date it was sent",
        ["POST /api/plans/{planId:guid}/evaluations"] = "answers an id, the outcome and the dates it was sent",
        ["POST /api/plans/{planId:guid}/handover"] = "answers the user ids it was sent and the escalations' ids",
        ["POST /api/plans/{planId:guid}/conference-sessions"] = "answers an id",
        ["POST /api/plans/{planId:guid}/case-audits"] = "answers an id",
        ["POST /api/plans/{planId:guid}/check-ins"] = "answers a receipt: ids and the occurrence",
        ["POST /api/plans/{planId:guid}/concerns"] = "answers a receipt", ["POST /api/plans/{planId:guid}/ratings"] = "answers a receipt",
        ["POST /api/plans/{planId:guid}/members/{memberId:guid}/links"] = "answers the new link (a credential, not case data)",
        ["DELETE /api/plans/{planId:guid}/members/{memberId:guid}/links/{linkId:guid}"] = "answers nothing",
        ["POST /api/escalations/{escalationId:guid}/acknowledge"] = "answers ids and the state",
        ["POST /api/escalations/{escalationId:guid}/resolve"] = "answers ids and the state",
    };

    [Fact]
    public void every_page_and_route_either_logs_every_request_or_is_named_as_showing_no_case_data()
    {
        // A page or route added without a decision fails here: the access log must not depend on remembering a marker.
        var endpoints = server.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method =>
                (Key: $"{method} /{e.RoutePattern.RawText?.TrimStart('/')}", Marked: e.Metadata.GetMetadata<CaseDataReadAttribute>() is not null)))
            .ToList();
        endpoints.Count.ShouldBeGreaterThan(60);
        endpoints.Where(e => !e.Marked).Select(e => e.Key).Distinct()
            .ShouldBe(ShowsNoCaseData.Keys, ignoreOrder: true, "a page or route that is neither marked [CaseDataRead] nor named in ShowsNoCaseData (or named there and gone, or marked and named)");
        // The pages that show a plan, the member page and the dashboard, whatever the method (a refused form re-renders them).
        endpoints.Where(e => e.Marked && e.Key.StartsWith("* ", StringComparison.Ordinal)).Select(e => e.Key).Distinct().ShouldBe([
            "* /", "* /dashboard", "* /member", "* /plans/{planId:guid}", "* /plans/{planId:guid}/case-audits/{auditId:guid}",
            "* /plans/{planId:guid}/case-audits/open", "* /plans/{planId:guid}/conference", "* /plans/{planId:guid}/timeline",
        ], ignoreOrder: true);
    }
}
