using System.Net;
using System.Net.Sockets;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Sign-in never falls back to trusting headers (issue 14, 1): a server with a database names its sign-in mode and its
/// public address or does not start; development (header) sign-in runs only on loopback, judged by the addresses the
/// server really bound, and answers only requests addressed to a loopback name; the manual clock is for development only.
/// Each start is a real server process.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_sign_in_is_configured_for_a_deployment(ServerFixture server)
{
    // Refused before the database is touched: no database needs to exist behind it.
    private const string NoDatabase = "Host=127.0.0.1;Port=1;Username=postgres;Database=safetyplan";

    private static async Task<string> RefusedStart(Dictionary<string, string> environment, bool manualClock = false)
    {
        await using var node = new ServerProcess(environment) { ManualClock = manualClock };
        return (await Should.ThrowAsync<InvalidOperationException>(() => node.Start(ServerFixture.Start))).Message;
    }

    [Fact]
    public async Task with_a_database_and_no_sign_in_mode_the_server_refuses_to_start_and_names_the_setting_the_choices_and_the_doc()
    {
        var message = await RefusedStart(new() { ["ConnectionStrings__Postgres"] = NoDatabase, ["Demo__Seed"] = "false" });
        message.ShouldContain("Auth:Mode");
        message.ShouldContain("'Oidc'");
        message.ShouldContain("'Development'");
        message.ShouldContain("README.md");
    }

    [Fact]
    public async Task with_a_database_and_no_app_base_url_the_server_refuses_to_start()
    {
        var message = await RefusedStart(new()
        {
            ["ConnectionStrings__Postgres"] = NoDatabase, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development", ["App__BaseUrl"] = "",
        });
        message.ShouldContain("App:BaseUrl is required");
    }

    [Fact]
    public async Task the_manual_clock_refuses_to_start_beside_openid_connect()
    {
        var message = await RefusedStart(new()
        {
            ["ConnectionStrings__Postgres"] = NoDatabase, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Oidc",
            ["Auth__Authority"] = "http://127.0.0.1:1", ["Auth__Audience"] = "safetyplan-api",
        }, manualClock: true);
        message.ShouldContain("Clock:Mode=Manual");
    }

    /// <summary>
    /// Port 0 lets the server choose a free port as it binds (a port probed beforehand could be taken by then); the refusal
    /// must name the address the server actually bound, on every interface, with the port it was given.
    /// </summary>
    private static void NamesTheBoundPort(string message)
    {
        var bound = System.Text.RegularExpressions.Regex.Match(message, @"refusing to run on http://(\[::\]|0\.0\.0\.0):(\d+)");
        bound.Success.ShouldBeTrue(message);
        int.Parse(bound.Groups[2].Value).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task development_sign_in_refuses_to_start_when_the_container_default_http_ports_binds_every_interface()
    {
        var message = await RefusedStart(new()
        {
            ["ConnectionStrings__Postgres"] = await server.CreateDatabase("safetyplan_all_interfaces"), ["Demo__Seed"] = "false",
            ["Auth__Mode"] = "Development", ["ASPNETCORE_URLS"] = "", ["ASPNETCORE_HTTP_PORTS"] = "0",
        });
        message.ShouldContain("listens only on loopback");
        NamesTheBoundPort(message);
    }

    [Fact]
    public async Task insecure_cookies_refuse_to_start_when_the_container_default_http_ports_binds_every_interface()
    {
        // On loopback the same settings start: when_professionals_sign_in_with_openid_connect runs them.
        var message = await RefusedStart(new()
        {
            ["ConnectionStrings__Postgres"] = await server.CreateDatabase("safetyplan_insecure_cookies"), ["Demo__Seed"] = "false",
            ["Auth__Mode"] = "Oidc", ["Auth__Authority"] = "http://127.0.0.1:1", ["Auth__Audience"] = "safetyplan-api", ["Auth__RequireHttpsMetadata"] = "false",
            ["Auth__AllowInsecureCookies"] = "true", ["ASPNETCORE_URLS"] = "", ["ASPNETCORE_HTTP_PORTS"] = "0",
        });
        message.ShouldContain("Auth:AllowInsecureCookies=true");
        message.ShouldContain("only on loopback");
        NamesTheBoundPort(message);
    }

    [Fact]
    public async Task development_sign_in_answers_only_requests_addressed_to_a_loopback_name()
    {
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = await server.CreateDatabase("safetyplan_loopback_host"), ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
        });
        await node.Start(ServerFixture.Start);
        using var client = node.As("anna", "professional");

        async Task<HttpStatusCode> WithHost(string? host)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/plans");
            if (host is not null) request.Headers.Host = host;
            return (await client.SendAsync(request)).StatusCode;
        }

        (await WithHost(null)).ShouldBe(HttpStatusCode.OK); // 127.0.0.1:<port>
        (await WithHost($"localhost:{node.Port}")).ShouldBe(HttpStatusCode.OK);
        (await WithHost($"[::1]:{node.Port}")).ShouldBe(HttpStatusCode.OK);
        // A page that rebinds its own name to 127.0.0.1 (DNS rebinding) still sends its own name as Host.
        (await WithHost("attacker.example")).ShouldBe(HttpStatusCode.MisdirectedRequest);
        (await WithHost($"safetyplan.example:{node.Port}")).ShouldBe(HttpStatusCode.MisdirectedRequest);
        (await WithHost("10.0.0.5")).ShouldBe(HttpStatusCode.MisdirectedRequest);
    }

    [Fact]
    public async Task only_professionals_and_admins_move_the_manual_clock()
    {
        var clock = new { advance = "PT0S" };
        (await server.As("oma", $"member:{Guid.NewGuid()}").Post("/api/dev/clock", clock)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("auditor", "auditor").Post("/api/dev/clock", clock)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("anna", "professional").Post("/api/dev/clock", clock)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.As("admin", "admin").Post("/api/dev/clock", clock)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
