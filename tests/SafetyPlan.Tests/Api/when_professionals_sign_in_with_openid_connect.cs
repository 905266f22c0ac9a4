using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Auth:Mode=Oidc against a provider the test runs itself on loopback: a server process of its own (its own database on
/// the fixture's PostgreSQL), with a non-default role claim ("groups") and organisation claim ("org") to prove both are configurable,
/// on the system clock (the manual clock does not run beside OIDC).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_professionals_sign_in_with_openid_connect(ServerFixture server)
{
    private const string Audience = "safetyplan-api";
    private const string PagesClient = "safetyplan-pages";

    private async Task<ServerProcess> Start(TestOpenIdProvider provider, string database, params (string Key, string Value)[] extra)
    {
        // The system clock: the manual clock refuses to run beside a real sign-in.
        var node = new ServerProcess(new Dictionary<string, string>(extra.Select(e => KeyValuePair.Create(e.Key, e.Value)))
        {
            ["ConnectionStrings__Postgres"] = await server.CreateDatabase(database),
            ["Demo__Seed"] = "false",
            ["Auth__Mode"] = "Oidc",
            ["Auth__Authority"] = provider.Issuer,
            ["Auth__Audience"] = Audience,
            ["Auth__ClientId"] = PagesClient,
            ["Auth__ClientSecret"] = "pages-secret",
            ["Auth__RoleClaim"] = "groups",
            ["Auth__OrganisationClaim"] = "org",
            ["Auth__RequireHttpsMetadata"] = "false",
            // Plain http on loopback: a Secure cookie would never be sent back.
            ["Auth__AllowInsecureCookies"] = "true",
        }) { ManualClock = false };
        await node.Start(ServerFixture.Start);
        return node;
    }

    private static Dictionary<string, object> User(string subject, params string[] groups) =>
        new() { ["sub"] = subject, ["name"] = subject, ["groups"] = groups.ToList(), ["org"] = "jeugdzorg-noord" };

    private static async Task<HttpStatusCode> Send(ServerProcess node, HttpMethod method, string path, string? token, object? body = null, string? devUser = null)
    {
        using var client = new HttpClient { BaseAddress = node.Address };
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (devUser is not null)
        {
            request.Headers.Add("X-User", devUser);
            request.Headers.Add("X-Roles", "admin,professional,auditor");
        }
        if (body is not null) request.Content = JsonContent.Create(body);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task the_api_takes_only_the_providers_tokens_for_its_audience_on_safetyplans_clock_and_the_role_claim_decides()
    {
        using var provider = new TestOpenIdProvider();
        await using var node = await Start(provider, "safetyplan_oidc_api");
        var draft = new { title = "Veiligheidsplan Smit", family = "Smit", monitorId = "p-1" };

        var professional = provider.Token(Audience, User("p-1", "professional"));
        (await Send(node, HttpMethod.Post, "/api/plans", professional, draft)).ShouldBe(HttpStatusCode.Created);
        (await Send(node, HttpMethod.Get, "/api/plans", professional)).ShouldBe(HttpStatusCode.OK);

        var auditor = provider.Token(Audience, User("a-1", "auditor"));
        (await Send(node, HttpMethod.Get, "/api/plans", auditor)).ShouldBe(HttpStatusCode.OK);
        (await Send(node, HttpMethod.Post, "/api/plans", auditor, draft)).ShouldBe(HttpStatusCode.Forbidden);
        // The development headers sign nobody in, and add no roles to a token.
        (await Send(node, HttpMethod.Post, "/api/plans", auditor, draft, devUser: "admin")).ShouldBe(HttpStatusCode.Forbidden);
        (await Send(node, HttpMethod.Get, "/api/plans", null, devUser: "admin")).ShouldBe(HttpStatusCode.Unauthorized);
        // A provider cannot make someone a network member: members sign in only with a personal link.
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, User("x-1", $"member:{Guid.NewGuid()}")))).ShouldBe(HttpStatusCode.Forbidden);

        (await Send(node, HttpMethod.Get, "/api/plans", null)).ShouldBe(HttpStatusCode.Unauthorized);
        using var otherKey = RSA.Create(2048);
        var refused = new Dictionary<string, string>
        {
            ["expired"] = provider.Token(Audience, User("p-1", "professional"), lifetime: TimeSpan.FromHours(1), issuedAt: provider.Now.AddHours(-2)),
            ["not yet valid"] = provider.Token(Audience, User("p-1", "professional"), issuedAt: provider.Now.AddHours(1)),
            ["wrong audience"] = provider.Token("another-api", User("p-1", "professional")),
            ["wrong issuer"] = provider.Token(Audience, User("p-1", "professional"), issuer: "http://127.0.0.1:1/other"),
            ["bad signature"] = provider.Token(Audience, User("p-1", "professional"), signingKey: new RsaSecurityKey(otherKey) { KeyId = provider.Key.KeyId }),
            ["no subject"] = provider.Token(Audience, new Dictionary<string, object> { ["groups"] = new List<string> { "professional" } }),
        };
        foreach (var (why, token) in refused)
            (await Send(node, HttpMethod.Get, "/api/plans", token)).ShouldBe(HttpStatusCode.Unauthorized, why);

        // The subject is the caller's id: it is the actor of the events the professional caused.
        using var client = new HttpClient { BaseAddress = node.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", professional);
        var plans = await (await client.GetAsync("/api/plans")).Json();
        var planId = plans.EnumerateArray().ShouldHaveSingleItem().GetProperty("id").GetGuid();
        var history = await (await client.GetAsync($"/api/plans/{planId}/history")).Json();
        history.EnumerateArray().First().GetProperty("actor").GetString().ShouldBe("p-1");

        // Network members sign in with a personal link in this mode too: issued with a bearer token, opened in a browser.
        var member = await (await client.Post($"/api/plans/{planId}/members", new { name = "Oma", role = "network" })).CreatedId();
        var url = (await (await client.Post($"/api/plans/{planId}/members/{member}/links", new { })).Json()).GetProperty("url").GetString()!;
        using var phone = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = node.Address };
        (await phone.GetAsync(new Uri(url).PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await phone.GetAsync($"/api/plans/{planId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await phone.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task pages_sign_in_with_the_code_flow_into_the_cookie_and_sign_out()
    {
        using var provider = new TestOpenIdProvider { NextUser = User("p-2", "professional") };
        await using var node = await Start(provider, "safetyplan_oidc_pages");
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = node.Address };

        (await browser.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // A page sends an anonymous visitor to sign in, and outside development that is the provider's sign-in.
        var toSignIn = await browser.GetAsync("/dashboard");
        toSignIn.Headers.Location!.ToString().ShouldContain("/sign-in?ReturnUrl=%2Fdashboard");
        var toProvider = await browser.GetAsync(toSignIn.Headers.Location);
        toProvider.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        toProvider.Headers.Location!.ToString().ShouldStartWith("/sign-in/oidc?returnUrl=");

        var challenge = await browser.GetAsync("/sign-in/oidc?returnUrl=/api/plans");
        challenge.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        challenge.Headers.Location!.ToString().ShouldStartWith($"{provider.Issuer}/authorize");
        challenge.Headers.Location.Query.ShouldContain("code_challenge=");

        var authorized = await browser.GetAsync(challenge.Headers.Location);
        authorized.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var callback = await browser.GetAsync(authorized.Headers.Location);
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync());
        callback.Headers.Location!.OriginalString.ShouldBe("/api/plans");
        cookies.GetCookies(node.Address).Select(c => c.Name).ShouldContain("SafetyPlan.SignIn");

        // The cookie carries the mapped roles: a professional may draft a plan, and is its actor; a change through the
        // API with the cookie carries the antiforgery token of a page (cross-site requests are refused).
        (await browser.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await (await browser.GetAsync("/dashboard")).Content.ReadAsStringAsync();
        browser.DefaultRequestHeaders.Add("RequestVerificationToken",
            System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        var created = await browser.Post("/api/plans", new { title = "Veiligheidsplan Bos", family = "Bos", monitorId = "p-2" });
        var planId = await created.CreatedId();
        var history = await (await browser.GetAsync($"/api/plans/{planId}/history")).Json();
        history.EnumerateArray().First().GetProperty("actor").GetString().ShouldBe("p-2");

        // A code can be used once only.
        (await browser.GetAsync(authorized.Headers.Location)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await browser.PostAsync("/sign-out", null)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
    /// <summary>The pages' code flow for <see cref="TestOpenIdProvider.NextUser"/>: a browser with the pages' cookie afterwards.</summary>
    private static async Task<HttpClient> SignInToPages(ServerProcess node)
    {
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = node.Address };
        var challenge = await browser.GetAsync("/sign-in/oidc?returnUrl=/api/plans");
        var authorized = await browser.GetAsync(challenge.Headers.Location);
        var callback = await browser.GetAsync(authorized.Headers.Location);
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync());
        return browser;
    }

    [Fact]
    public async Task a_token_must_name_its_organisation_and_with_require_mfa_show_a_second_factor()
    {
        using var provider = new TestOpenIdProvider();
        using var securityChannel = new when_security_events_leave_the_database.OtlpReceiver();
        await using var node = await Start(provider, "safetyplan_oidc_mfa", ("Auth__RequireMfa", "true"), ("OTEL_EXPORTER_OTLP_ENDPOINT", securityChannel.Url));
        Dictionary<string, object> With(Dictionary<string, object> claims, string key, object value) { claims[key] = value; return claims; }

        var noOrganisation = User("p-1", "professional");
        noOrganisation.Remove("org");
        // Never put in the organisation "default" by omission.
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, With(noOrganisation, "amr", new List<string> { "pwd", "mfa" })))).ShouldBe(HttpStatusCode.Unauthorized);
        // A refused sign-in is a security event (ASVS 7.2.1), outside the database.
        var refusedSignIn = await securityChannel.WaitFor(r => r.Body.StartsWith("sign-in-refused", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("UserId") == "p-1");
        refusedSignIn.Attributes["Reason"].ShouldContain("organisation");
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, User("p-1", "professional")))).ShouldBe(HttpStatusCode.Unauthorized);
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, With(User("p-1", "professional"), "amr", new List<string> { "pwd" })))).ShouldBe(HttpStatusCode.Unauthorized);
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, With(User("p-1", "professional"), "acr", "http://eidas.europa.eu/LoA/low")))).ShouldBe(HttpStatusCode.Unauthorized);
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, With(User("p-1", "professional"), "amr", new List<string> { "pwd", "otp" })))).ShouldBe(HttpStatusCode.OK);
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, With(User("p-1", "professional"), "acr", "http://eidas.europa.eu/LoA/substantial")))).ShouldBe(HttpStatusCode.OK);

        // A member's link starts with App:BaseUrl, whatever Host the request named.
        using var client = new HttpClient { BaseAddress = node.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", provider.Token(Audience, With(User("p-1", "professional"), "amr", new List<string> { "mfa" })));
        client.DefaultRequestHeaders.Host = "attacker.example";
        var planId = await (await client.Post("/api/plans", new { title = "Veiligheidsplan Smit", family = "Smit", monitorId = "p-1" })).CreatedId();
        var member = await (await client.Post($"/api/plans/{planId}/members", new { name = "Oma", role = "network" })).CreatedId();
        var url = (await (await client.Post($"/api/plans/{planId}/members/{member}/links", new { })).Json()).GetProperty("url").GetString()!;
        url.ShouldStartWith($"{node.Address.ToString().TrimEnd('/')}/l/");
    }

    [Fact]
    public async Task the_pages_session_ends_at_its_absolute_lifetime_and_when_the_account_is_removed()
    {
        using var provider = new TestOpenIdProvider { NextUser = User("p-3", "professional") };
        await using var node = await Start(provider, "safetyplan_oidc_session", ("Auth__AbsoluteSessionLifetime", "00:00:15"));
        using var admin = new HttpClient { BaseAddress = node.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", provider.Token(Audience, User("admin-1", "admin"), lifetime: TimeSpan.FromMinutes(10)));
        (await admin.PutAsync("/api/users/p-3", JsonContent.Create(new { name = "P3", email = "p3@jeugdzorg.test", language = "nl", roles = new[] { "professional" } })))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        using var removed = await SignInToPages(node);
        (await removed.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.DeleteAsync("/api/users/p-3")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await removed.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        provider.NextUser = User("p-4", "professional");
        using var busy = await SignInToPages(node);
        var signedIn = DateTime.UtcNow;
        // Busy all the time (the idle lifetime slides), and still out once the absolute lifetime has passed.
        while (DateTime.UtcNow - signedIn < TimeSpan.FromSeconds(4))
        {
            (await busy.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await Task.Delay(500);
        }
        await Task.Delay(TimeSpan.FromSeconds(16) - (DateTime.UtcNow - signedIn)); // the server noted the sign-in before this test's clock started
        (await busy.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_removed_accounts_bearer_tokens_are_refused_at_once_until_the_account_is_created_again()
    {
        using var provider = new TestOpenIdProvider();
        await using var node = await Start(provider, "safetyplan_oidc_removed");
        var admin = provider.Token(Audience, User("admin-1", "admin"), lifetime: TimeSpan.FromMinutes(10));
        var account = new { name = "P5", email = "p5@jeugdzorg.test", language = "nl", roles = new[] { "professional" } };
        (await Send(node, HttpMethod.Put, "/api/users/p-5", admin, account)).ShouldBe(HttpStatusCode.OK);
        var before = provider.Token(Audience, User("p-5", "professional"), lifetime: TimeSpan.FromMinutes(10));
        (await Send(node, HttpMethod.Get, "/api/plans", before)).ShouldBe(HttpStatusCode.OK);

        (await Send(node, HttpMethod.Delete, "/api/users/p-5", admin)).ShouldBe(HttpStatusCode.NoContent);
        // The token is still valid at the provider, and a new one would be issued: neither counts any more.
        (await Send(node, HttpMethod.Get, "/api/plans", before)).ShouldBe(HttpStatusCode.Unauthorized);
        (await Send(node, HttpMethod.Post, "/api/plans", before, new { title = "Plan", family = "F", monitorId = "p-5" })).ShouldBe(HttpStatusCode.Unauthorized);
        (await Send(node, HttpMethod.Get, "/api/notifications", provider.Token(Audience, User("p-5", "professional")))).ShouldBe(HttpStatusCode.Unauthorized);
        // Someone who never had an account is not refused: the provider decides who signs in.
        (await Send(node, HttpMethod.Get, "/api/plans", provider.Token(Audience, User("p-6", "professional")))).ShouldBe(HttpStatusCode.OK);

        (await Send(node, HttpMethod.Put, "/api/users/p-5", admin, account)).ShouldBe(HttpStatusCode.OK);
        (await Send(node, HttpMethod.Get, "/api/plans", before)).ShouldBe(HttpStatusCode.OK);
    }
}
