using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static SafetyPlan.Tests.Infrastructure.PageForms;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// OWASP ASVS level 2 on every answer (docs/security.md, "Standards mapped to code and tests"): security headers on
/// API answers, pages, assets and errors; the API's description and the health details only for admins outside the
/// embedded set-up; the pages' cookie alone cannot change anything through the API (cross-site requests); the job
/// dashboard read-only for admins and writable for operators.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_the_server_answers_anyone(ServerFixture server)
{
    public static TheoryData<string, string, string?> Answers() => new()
    {
        { "an API answer", "/api/plans", "professional" },
        { "an API refusal", "/api/plans", null },
        { "an API error", $"/api/plans/{Guid.NewGuid()}", "professional" },
        { "a page", "/sign-in", null },
        { "a redirect", "/dashboard", null },
        { "a stylesheet", "/assets/site.css", null },
        { "a script", "/assets/site.js", null },
        { "an unknown address", "/no-such-page", null },
        { "the health check", "/health", null },
        { "the job dashboard", "/hangfire", "admin" },
        { "the API explorer", "/api-docs", "admin" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task every_answer_carries_the_security_headers(string what, string path, string? roles)
    {
        var client = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (roles is not null)
        {
            client.DefaultRequestHeaders.Add("X-User", "someone");
            client.DefaultRequestHeaders.Add("X-Roles", roles);
        }
        var response = await client.GetAsync(path);

        Header(response, "X-Content-Type-Options").ShouldBe("nosniff", what);
        Header(response, "Referrer-Policy").ShouldBe("no-referrer", what);
        Header(response, "X-Frame-Options").ShouldBe("DENY", what);
        var csp = Header(response, "Content-Security-Policy");
        csp.ShouldContain("frame-ancestors 'none'", Case.Sensitive, what);
        csp.ShouldContain("object-src 'none'", Case.Sensitive, what);
        if (what != "the API explorer")
            Directive(csp, "script-src").ShouldBe("'self'", what);
    }

    [Fact]
    public async Task the_openapi_document_and_its_explorer_are_for_admins_outside_the_embedded_set_up()
    {
        // Anonymous: sent to sign in, as for any page that is not the API.
        var anonymous = await server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/openapi/v1.json");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.ToString().ShouldContain("/sign-in");
        (await server.As("p-1", "professional").GetAsync("/openapi/v1.json")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("oma", $"member:{Guid.NewGuid()}").GetAsync("/api-docs")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("admin-1", "admin").GetAsync("/openapi/v1.json")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.As("admin-1", "admin").GetAsync("/api-docs")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>
    /// The embedded set-up is the one thing the fixture cannot be (it has a database configured), so this starts a real
    /// server process without ConnectionStrings:Postgres: it provisions its own PostgreSQL in a temporary folder
    /// (stopped and removed afterwards) and runs development sign-in by default, on loopback.
    /// </summary>
    [Fact]
    public async Task the_openapi_document_and_its_explorer_are_open_to_anyone_in_the_embedded_set_up()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"safetyplan-embedded-openapi-{Guid.NewGuid():N}");
        var dataDirectory = Path.Combine(folder, "postgres");
        try
        {
            await using (var node = new ServerProcess(new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = "", ["Auth__Mode"] = "", ["App__BaseUrl"] = "",
                ["LocalPostgres__DataDirectory"] = dataDirectory, ["Demo__Seed"] = "false",
            }))
            {
                await node.Start(ServerFixture.Start);
                using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = node.Address };
                var document = await anonymous.GetAsync("/openapi/v1.json");
                document.StatusCode.ShouldBe(HttpStatusCode.OK);
                (await document.Content.ReadAsStringAsync()).ShouldContain("/api/plans");
                using var browser = new HttpClient { BaseAddress = node.Address }; // Scalar sends /api-docs on to /api-docs/
                var explorer = await browser.GetAsync("/api-docs");
                (explorer.StatusCode, explorer.RequestMessage!.RequestUri!.AbsolutePath).ShouldBe((HttpStatusCode.OK, "/api-docs/"));
                (await node.As("p-1", "professional").GetAsync("/openapi/v1.json")).StatusCode.ShouldBe(HttpStatusCode.OK);
                // The API itself still needs a sign-in.
                (await anonymous.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            }
        }
        finally
        {
            // The server's PostgreSQL runs on after a kill (pg_ctl detaches it): stop it by its folder.
            if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
                await (await SafetyPlan.Hosting.LocalPostgres.StartAsync(dataDirectory)).StopAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task health_tells_anyone_the_bare_status_and_an_admin_the_checks()
    {
        var bare = await server.As(null).GetAsync("/health");
        bare.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bare.Content.ReadAsStringAsync()).ShouldBe("Healthy");
        (await (await server.As("p-1", "professional").GetAsync("/health")).Content.ReadAsStringAsync()).ShouldBe("Healthy");

        var detail = await (await server.As("admin-1", "admin").GetAsync("/health")).Json();
        detail.GetProperty("status").GetString().ShouldBe("Healthy");
        detail.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["postgres", "jobs"], ignoreOrder: true);
    }

    [Fact]
    public async Task the_pages_cookie_alone_cannot_post_to_the_api_but_the_pages_token_can()
    {
        var browser = Browser();
        await SignIn(browser, "anna-csrf", "professional");
        var plan = new { title = "Veiligheidsplan Cross", family = "Cross", monitorId = "anna-csrf" };

        // What another site's form or script can make the browser send: the cookie, without the token.
        var crossSite = await browser.Post("/api/plans", plan);
        crossSite.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await crossSite.Content.ReadAsStringAsync()).ShouldContain("RequestVerificationToken");
        // Reading with the cookie still works, and so does the page itself.
        (await browser.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A page of SafetyPlan's own has the token: with it the same call is accepted.
        var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/plans") { Content = System.Net.Http.Json.JsonContent.Create(plan) };
        withToken.Headers.Add("RequestVerificationToken", await Token(browser, "/dashboard"));
        (await browser.SendAsync(withToken)).StatusCode.ShouldBe(HttpStatusCode.Created);

        // Headers or tokens are no ambient credential: the API without a cookie needs no antiforgery token.
        (await server.As("anna-csrf", "professional").Post("/api/plans", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task the_job_dashboard_is_read_only_for_admins_and_operators_may_trigger_a_job()
    {
        (await server.As(null).GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.As("p-1", "professional").GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var admin = Browser("admin-1", "admin");
        var page = await admin.GetAsync("/hangfire/recurring");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Trigger(admin, await page.Content.ReadAsStringAsync())).ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);

        var operatorBrowser = Browser("op-1", "operator");
        var operatorPage = await operatorBrowser.GetAsync("/hangfire/recurring");
        operatorPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Trigger(operatorBrowser, await operatorPage.Content.ReadAsStringAsync())).ShouldBe(HttpStatusCode.NoContent);
    }

    /// <summary>What the dashboard's "Trigger now" button sends: the job ids, with the dashboard's antiforgery token in its header.</summary>
    private static async Task<HttpStatusCode> Trigger(HttpClient browser, string dashboardHtml)
    {
        var header = HangfireMeta("csrf-header").Match(dashboardHtml);
        var token = HangfireMeta("csrf-token").Match(dashboardHtml);
        (header.Success && token.Success).ShouldBeTrue("the dashboard page names its antiforgery header and token");
        var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "deadline-sweep")]),
        };
        request.Headers.Add(WebUtility.HtmlDecode(header.Groups[1].Value), WebUtility.HtmlDecode(token.Groups[1].Value));
        return (await browser.SendAsync(request)).StatusCode;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values) : $"(no {name})";

    private static string Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries).FirstOrDefault(d => d.StartsWith(name + " ", StringComparison.Ordinal))?[(name.Length + 1)..] ?? "(absent)";

    private HttpClient Browser(string? user = null, string? roles = null)
    {
        var client = server.Browser();
        if (user is not null) client.DefaultRequestHeaders.Add("X-User", user);
        if (roles is not null) client.DefaultRequestHeaders.Add("X-Roles", roles);
        return client;
    }

    private static Regex HangfireMeta(string name) => new($"<meta name=\"{name}\" content=\"([^\"]+)\"");
}
