using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Network members sign in through a personal link: issued by a professional, signed, expiring, revocable, and in the plan's history.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_signs_in_with_a_personal_link(ServerFixture server)
{
    /// <summary>A browser: keeps cookies, does not follow redirects (so the test sees them), sends no development headers.</summary>
    private HttpClient Browser(string? language = null)
    {
        var client = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    /// <summary>The answer to issuing a personal link: the only time its url (with the token) is shown.</summary>
    private sealed record IssuedLink(Guid Id, string Url, DateTimeOffset ExpiresAt);

    /// <summary>One of <c>GET /api/plans/{planId}/members/{memberId}/links</c>.</summary>
    private sealed record LinkView(Guid Id, string State, int Uses);

    private sealed record LinkIssuedData(Guid LinkId);
    private sealed record LinkRevokedData(string Reason);

    private static async Task<IssuedLink> Issue(PlanBuilder plan, Guid? memberId = null, string? validFor = null)
    {
        var response = await plan.Professional.Post($"/api/plans/{plan.PlanId}/members/{memberId ?? plan.MemberId}/links",
            validFor is null ? new { } : new { validFor });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<IssuedLink>();
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private static async Task<HistoryEntry[]> History(PlanBuilder plan, string type) => [.. await plan.History(query: $"?type={type}")];

    private static Task<HttpResponseMessage> CheckIn(HttpClient client, PlanBuilder plan, Guid memberId) =>
        client.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = Guid.NewGuid().ToString(), agreementId = plan.AgreementId, memberId, outcome = "kept" });

    [Fact]
    public async Task the_member_reports_only_as_themselves_and_sees_only_their_own_plan_without_contact_details()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var neighbour = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman Kees", role = "network", phone = "06-12345678" })).CreatedId();
        await plan.Agreed();
        var otherPlan = await new PlanBuilder(server).Drafted();
        var now = await server.Now();

        var link = await Issue(plan);
        link.ExpiresAt.ShouldBe(now.AddDays(30));
        link.Url.ShouldContain("/l/");

        var phone = Browser();
        var opened = await phone.GetAsync(PathOf(link.Url));
        opened.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        opened.Headers.Location!.OriginalString.ShouldBe("/member");

        // The cookie alone may not change anything through the API (cross-site requests): the member's page gives the token.
        (await CheckIn(phone, plan, plan.MemberId)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var page = await (await phone.GetAsync("/member")).Content.ReadAsStringAsync();
        phone.DefaultRequestHeaders.Add("RequestVerificationToken",
            System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        (await CheckIn(phone, plan, plan.MemberId)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CheckIn(phone, plan, neighbour)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        const string professionalsNote = "Vertrouwelijk: zorgen over de thuissituatie";
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations", new { outcome = "continue", notes = professionalsNote, nextEvaluationDue = "2027-04-01" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var own = await phone.GetAsync($"/api/plans/{plan.PlanId}");
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await own.Content.ReadAsStringAsync()).ShouldNotContain(professionalsNote);
        (await own.Content.ReadAsStringAsync()).ShouldNotContain("06-12345678");
        var members = (await own.Read<PlanStatus>()).Members;
        members.Count.ShouldBe(2);
        members.ShouldAllBe(m => m.Email == null && m.Phone == null);

        (await phone.GetAsync($"/api/plans/{otherPlan.PlanId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await phone.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await phone.GetAsync($"/api/plans/{plan.PlanId}/history")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await phone.Post($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The check-in carries the member's identity from the link.
        var checkIn = (await History(plan, "check-in-logged")).ShouldHaveSingleItem();
        checkIn.Actor.ShouldBe($"member-{plan.MemberId}");
    }

    [Fact]
    public async Task issuing_and_using_are_in_the_history_once_and_a_double_click_is_one_sign_in()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var link = await Issue(plan, validFor: "P7D");

        (await Browser().GetAsync(PathOf(link.Url))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Browser().GetAsync(PathOf(link.Url))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var issued = (await History(plan, "personal-link-issued")).ShouldHaveSingleItem();
        issued.DataAs<LinkIssuedData>().LinkId.ShouldBe(link.Id);
        issued.Data.ToString().ShouldNotContain(PathOf(link.Url)[3..]); // raw JSON: the token is nowhere in the event
        var used = (await History(plan, "personal-link-used")).ShouldHaveSingleItem();
        (used.Actor, used.Description).ShouldBe(($"member-{plan.MemberId}", "A member signed in with their personal link."));
        issued.Description!.ShouldStartWith($"Personal link issued to a member by {plan.MonitorId}");

        await server.Advance("PT10M");
        (await Browser().GetAsync(PathOf(link.Url))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await History(plan, "personal-link-used")).Length.ShouldBe(2);

        (await server.As("auditor-1", "auditor").Get<ChainVerification>($"/api/plans/{plan.PlanId}/verify")).Intact.ShouldBeTrue();

        var listed = await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links");
        (await listed.Read<List<LinkView>>()).ShouldHaveSingleItem().ShouldBe(new LinkView(link.Id, "active", Uses: 2));
        (await listed.Content.ReadAsStringAsync()).ShouldNotContain(PathOf(link.Url)[3..]); // raw JSON: the list never shows the token
    }

    [Fact]
    public async Task a_revoked_link_signs_nobody_in_and_ends_the_session_it_started()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var link = await Issue(plan);
        var phone = Browser();
        (await phone.GetAsync(PathOf(link.Url))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await phone.GetAsync($"/api/plans/{plan.PlanId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var revoke = $"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links/{link.Id}";
        (await plan.Professional.SendAsync(new HttpRequestMessage(HttpMethod.Delete, revoke) { Content = JsonContent.Create(new { }) }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await plan.Professional.SendAsync(new HttpRequestMessage(HttpMethod.Delete, revoke) { Content = JsonContent.Create(new { reason = "Telefoon gestolen" }) }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await plan.Professional.SendAsync(new HttpRequestMessage(HttpMethod.Delete, revoke) { Content = JsonContent.Create(new { reason = "nogmaals" }) }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await History(plan, "personal-link-revoked")).ShouldHaveSingleItem().DataAs<LinkRevokedData>().Reason.ShouldBe("Telefoon gestolen");

        // The session the link started ends at once, and the link no longer signs in.
        (await phone.GetAsync($"/api/plans/{plan.PlanId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await CheckIn(phone, plan, plan.MemberId)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var again = await Browser("nl").GetAsync(PathOf(link.Url));
        again.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        again.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await again.Content.ReadAsStringAsync()).ShouldContain("Deze link is ingetrokken");

        var listed = await server.As("auditor-1", "auditor").Get<List<LinkView>>($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links");
        listed.ShouldHaveSingleItem().State.ShouldBe("revoked");
    }

    [Fact]
    public async Task an_expired_link_is_refused_and_ends_the_session_it_started()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var link = await Issue(plan, validFor: "PT1H");
        var phone = Browser();
        (await phone.GetAsync(PathOf(link.Url))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await server.Advance("PT61M");

        (await phone.GetAsync($"/api/plans/{plan.PlanId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var expired = await Browser("en").GetAsync(PathOf(link.Url));
        expired.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await expired.Content.ReadAsStringAsync()).ShouldContain("This link has expired");
        (await History(plan, "personal-link-used")).Length.ShouldBe(1);
    }

    [Fact]
    public async Task a_member_who_left_the_network_can_no_longer_sign_in()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var neighbour = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman Kees", role = "network" })).CreatedId();
        var link = await Issue(plan, neighbour);
        var removal = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{plan.PlanId}/members/{neighbour}") { Content = JsonContent.Create(new { reason = "Verhuisd" }) };
        (await plan.Professional.SendAsync(removal)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await Browser().GetAsync(PathOf(link.Url))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await History(plan, "personal-link-used")).ShouldBeEmpty();
    }

    [Fact]
    public async Task the_token_is_sent_to_no_other_site_and_leaves_the_address_bar_at_once()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var link = await Issue(plan);
        link.Url.ShouldStartWith("http://localhost/l/"); // App:BaseUrl, not the request's Host

        var opened = await Browser().GetAsync(PathOf(link.Url));
        opened.StatusCode.ShouldBe(HttpStatusCode.Redirect); // the page with the token is never shown: on to /member
        opened.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        opened.Headers.CacheControl!.NoStore.ShouldBeTrue();

        // A refused link shows a page at the token's address: it carries no Referer away and replaces the address at once.
        var refused = await Browser().GetAsync("/l/not-a-token");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("<script src=\"/assets/forget-link.js\"></script>");
        (await Browser().GetStringAsync("/assets/forget-link.js")).Replace(" ", "").ShouldContain("history.replaceState(null,\"\",\"/member\")");
    }

    [Fact]
    public async Task a_forged_or_mangled_token_is_refused_with_401_and_never_a_server_error()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var token = PathOf((await Issue(plan)).Url)[3..];
        string[] forged =
        [
            token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..], // one character of the payload changed
            token.Split('.')[0] + "." + new string('A', 43),             // the payload with a made-up signature
            "x", "x.y", "....", new string('a', 600), "%E2%82%AC.%FF",
        ];
        foreach (var attempt in forged)
        {
            var response = await Browser().GetAsync($"/l/{attempt}");
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, attempt);
        }
        (await History(plan, "personal-link-used")).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_link_issued_on_one_node_signs_in_on_the_other_and_the_cookie_works_on_both()
    {
        var database = await server.CreateDatabase("personal_links_two_nodes");
        // Each node gets a home folder of its own, as on two machines: Data Protection's default key folder is not shared.
        var homes = new[] { Directory.CreateTempSubdirectory("safetyplan-node-"), Directory.CreateTempSubdirectory("safetyplan-node-") };
        try
        {
            await TwoNodes(database, homes[0].FullName, homes[1].FullName);
        }
        finally
        {
            foreach (var home in homes) home.Delete(recursive: true);
        }
    }

    private static async Task TwoNodes(string database, string firstHome, string secondHome)
    {
        Dictionary<string, string> Node(string home) => new()
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development", ["HOME"] = home,
        };
        await using var first = new ServerProcess(Node(firstHome));
        await using var second = new ServerProcess(Node(secondHome));
        await first.Start(ServerFixture.Start);
        await second.Start(ServerFixture.Start);

        var professional = first.As("anna", "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Twee knooppunten", family = "F", monitorId = "anna" })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var issued = await (await professional.Post($"/api/plans/{plan}/members/{member}/links", new { })).Read<IssuedLink>();
        var path = PathOf(issued.Url);

        // Cookies are per host, not per port: one browser talks to both nodes, as behind a load balancer.
        var cookies = new CookieContainer();
        HttpClient Browser(ServerProcess node) =>
            new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = node.Address };
        (await Browser(second).GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Browser(first).GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Browser(second).GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task issuing_checks_the_validity_and_the_member()
    {
        var plan = await new PlanBuilder(server).Drafted();
        foreach (var validFor in new[] { "P1Y", "PT0S", "-P1D", "soon", "PT30S" })
        {
            var response = await plan.Professional.Post($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links", new { validFor });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, validFor);
            (await response.Read<Problem>()).Errors!.ShouldContainKey("validFor");
        }
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members/{Guid.NewGuid()}/links", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await plan.Professional.Post($"/api/plans/{Guid.NewGuid()}/members/{plan.MemberId}/links", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Issue(plan, validFor: "P90D")).ExpiresAt.ShouldBe((await server.Now()).AddDays(90));
    }
}
