using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafetyPlan.Auth;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto count only from a proxy named in ForwardedHeaders:KnownProxies or KnownNetworks
/// (none by default), so a client cannot choose the address that is logged; HTTPS seen through such a proxy gets HSTS;
/// outside development sign-in the pages' cookie is Secure. Real server processes on loopback: the test is the proxy.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_the_server_runs_behind_a_proxy(ServerFixture server)
{
    /// <summary>How the server saw a call (an admin's /health tells), and whether the answer carried HSTS.</summary>
    private sealed record Seen(string? Address, string? Scheme, bool Hsts);

    private static async Task<Seen> HealthThrough(ServerProcess node, bool forwarded)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-User", "admin-1");
        request.Headers.Add("X-Roles", "admin");
        if (forwarded)
        {
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            request.Headers.Add("X-Forwarded-Proto", "https");
        }
        using var client = new HttpClient { BaseAddress = node.Address };
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var caller = (await response.Json()).GetProperty("caller");
        return new Seen(caller.GetProperty("address").GetString(), caller.GetProperty("scheme").GetString(), response.Headers.Contains("Strict-Transport-Security"));
    }

    private async Task<ServerProcess> Start(string database, params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = await server.CreateDatabase(database),
            ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
        };
        foreach (var (key, value) in settings) environment[key] = value;
        var node = new ServerProcess(environment);
        await node.Start(ServerFixture.Start);
        return node;
    }

    [Fact]
    public async Task forwarded_headers_from_an_unknown_address_are_ignored()
    {
        await using var node = await Start("safetyplan_proxy_unknown");
        (await HealthThrough(node, forwarded: true)).ShouldBe(new Seen("127.0.0.1", "http", Hsts: false));
    }

    [Fact]
    public async Task forwarded_headers_from_a_configured_proxy_are_used_and_https_gets_hsts()
    {
        await using var node = await Start("safetyplan_proxy_known", ("ForwardedHeaders__KnownProxies__0", "127.0.0.1"));
        (await HealthThrough(node, forwarded: true)).ShouldBe(new Seen("203.0.113.7", "https", Hsts: true));
        // Plain http from the proxy itself: its own address, and no HSTS.
        (await HealthThrough(node, forwarded: false)).ShouldBe(new Seen("127.0.0.1", "http", Hsts: false));
    }

    [Fact]
    public void a_network_of_proxies_is_configured_in_cidr_and_anything_else_refuses_to_start()
    {
        var options = new Microsoft.AspNetCore.Builder.ForwardedHeadersOptions();
        SafetyPlan.Web.Hardening.ConfigureProxies(options, Settings(("KnownNetworks", "10.0.0.0/8, 192.168.1.0/24")));
        options.KnownIPNetworks.Select(n => n.ToString()).ShouldBe(["10.0.0.0/8", "192.168.1.0/24"]);
        options.KnownProxies.ShouldBeEmpty();

        var none = new Microsoft.AspNetCore.Builder.ForwardedHeadersOptions();
        SafetyPlan.Web.Hardening.ConfigureProxies(none, Settings());
        none.KnownProxies.ShouldBeEmpty(); // not even loopback, ASP.NET's own default
        none.KnownIPNetworks.ShouldBeEmpty();

        Should.Throw<InvalidOperationException>(() => SafetyPlan.Web.Hardening.ConfigureProxies(new(), Settings(("KnownProxies", "proxy.example"))))
            .Message.ShouldContain("not an IP address");
    }

    [Theory]
    [InlineData("Oidc", CookieSecurePolicy.Always)]
    [InlineData("Development", CookieSecurePolicy.SameAsRequest)]
    public void the_pages_cookie_is_secure_outside_development_sign_in(string mode, CookieSecurePolicy expected)
    {
        var configuration = Settings(("Auth:Mode", mode), ("Auth:Authority", "https://login.example"), ("Auth:Audience", "safetyplan"));
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddSingleton(configuration);
        services.AddSafetyPlanAuth(configuration);
        // Keys in memory: the cookie's settings are the question here, not where its keys are kept.
        services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        using var provider = services.BuildServiceProvider();
        var cookie = provider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AuthSchemes.Cookie).Cookie;
        cookie.SecurePolicy.ShouldBe(expected);
        cookie.HttpOnly.ShouldBeTrue();
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
