using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SafetyPlan.Demo;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using Snapshooter.Xunit;

namespace SafetyPlan.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class when_the_server_runs(ServerFixture server)
{
    [Fact]
    public async Task health_answers_200_once_the_database_and_the_job_server_run()
    {
        var client = server.As(null);
        var response = await client.GetAsync("/health");
        for (var i = 0; i < 50 && response.StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(200); // the job server announces itself just after start
            response = await client.GetAsync("/health");
        }
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }

    [Fact]
    public async Task the_openapi_document_describes_every_route_of_the_contract()
    {
        var document = await (await server.As("admin-1", "admin").GetAsync("/openapi/v1.json")).Json();
        var routes = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .Order()
            .ToList();
        Snapshot.Match(routes);
    }

    [Fact]
    public async Task admins_manage_users_and_users_read_themselves()
    {
        var admin = server.As("admin-1", "admin");
        var put = await admin.PutAsync("/api/users/anna", System.Net.Http.Json.JsonContent.Create(new
        {
            name = "Anna de Vries", email = "anna@jeugdzorg.example", language = "nl", roles = new[] { "professional" },
        }));
        put.StatusCode.ShouldBe(HttpStatusCode.OK);

        var self = await server.As("anna", "professional").Get<User>("/api/users/anna");
        (self.Email, self.Language).ShouldBe(("anna@jeugdzorg.example", "nl"));

        (await server.As("bert", "professional").GetAsync("/api/users/anna")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var bad = await admin.PutAsync("/api/users/anna", System.Net.Http.Json.JsonContent.Create(new { name = "A", email = "anna", language = "de", roles = new[] { "king" } }));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        new[] { "email", "language", "roles" }.ShouldBeSubsetOf((await bad.Read<Problem>()).Errors!.Keys); // each wrong field, by its contract name
    }

    /// <summary><c>GET /api/users/{userId}</c>.</summary>
    private sealed record User(string Name, string Email, string Language);

    [Fact]
    public async Task with_development_sign_in_it_refuses_to_listen_beyond_loopback()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = ServerBinary.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ServerBinary.Dll);
        psi.Environment["ConnectionStrings__Postgres"] = server.ConnectionString;
        psi.Environment["ASPNETCORE_URLS"] = "http://0.0.0.0:5999";
        psi.Environment["Auth__Mode"] = "Development";
        psi.Environment["App__BaseUrl"] = "http://localhost:5999";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        process.ExitCode.ShouldNotBe(0);
        (await output + await errors).ShouldContain("listens only on loopback");
    }

    [Fact]
    public async Task the_manual_clock_moves_forward_only()
    {
        var client = server.As("tester", "professional");
        var now = (await (await client.Post("/api/dev/clock", new { advance = "PT1M" })).Read<ClockResult>()).Now;
        var later = (await (await client.Post("/api/dev/clock", new { now = now.AddDays(1) })).Read<ClockResult>()).Now;
        later.ShouldBe(now.AddDays(1));
        (await client.Post("/api/dev/clock", new { now = now })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await server.As(null).PostAsync("/api/dev/clock", System.Net.Http.Json.JsonContent.Create(new { advance = "P1D" }))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task the_demo_case_is_a_family_with_two_children_five_members_four_agreements_and_two_bottom_lines()
    {
        var demo = ActivatorUtilities.CreateInstance<DemoCase>(server.Factory.Services);
        var planId = await demo.Seed(CancellationToken.None);

        var status = await server.As(DemoCase.MonitorId, "professional").Get<PlanStatus>($"/api/plans/{planId}");
        status.State.ShouldBe(State.Active);
        status.Members.Count(m => m.Role == "child").ShouldBe(2);
        status.Members.Count(m => m.Role != "child").ShouldBe(5);
        (status.Agreements.Count, status.BottomLines.Count).ShouldBe((4, 2));

        var list = await server.As(DemoCase.MonitorId, "professional").Get<List<PlanSummary>>($"/api/plans?monitorId={DemoCase.MonitorId}");
        list.ShouldContain(p => p.Id == planId);

        (await demo.Seed(CancellationToken.None)).ShouldBe(planId); // seeding again finds the case instead of adding one
    }
}
