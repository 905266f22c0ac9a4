using System.Net;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Two server processes on one database: both sweep at once, yet every deadline is handled once and every e-mail sent once; one dies, the other carries on.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_two_nodes_share_a_database(ServerFixture server)
{
    [Fact]
    public async Task concurrent_sweeps_on_two_nodes_do_everything_once_and_the_survivor_carries_on()
    {
        var database = await server.CreateDatabase("two_nodes");
        var start = new DateTimeOffset(2027, 4, 5, 8, 0, 0, TimeSpan.FromHours(2));
        var monitor = $"two-nodes-{Guid.NewGuid():N}";
        var monitorEmail = $"{monitor}@jeugdzorg.test";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = server.Smtp.Port.ToString(), ["Smtp__Security"] = "None",
        };
        await using var first = new ServerProcess(environment);
        await using var second = new ServerProcess(environment);
        await first.Start(start);
        await second.Start(start);

        (await first.As("admin", "admin").PutAsync($"/api/users/{monitor}", System.Net.Http.Json.JsonContent.Create(new { name = "M", email = monitorEmail, language = "en", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
        var professional = first.As(monitor, "professional");
        var plans = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var plan = await (await professional.Post("/api/plans", new { title = $"Twee {i}", family = "F", monitorId = monitor })).CreatedId();
            var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
            await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H", reportFrom = "P1D" })).CreatedId();
            await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Gemist", rule = new { kind = "missed-in-a-row", count = 1 }, acknowledgeWithin = "P2D" })).CreatedId();
            (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();
            plans.Add(plan);
        }

        // Both nodes reach the same moment at once: both sweep the same plans concurrently.
        var day1 = start.AddHours(10);
        var answers = await Task.WhenAll(first.As("clock", "admin").Post("/api/dev/clock", new { now = day1 }), second.As("clock", "admin").Post("/api/dev/clock", new { now = day1 }));
        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);

        // The first node dies; the second carries on alone the next day.
        await first.Kill();
        (await second.As("clock", "admin").Post("/api/dev/clock", new { now = day1.AddDays(1) })).EnsureSuccessStatusCode();

        var reader = second.As(monitor, "professional");
        foreach (var plan in plans)
        {
            var history = await (await reader.GetAsync($"/api/plans/{plan}/history")).Json();
            var types = history.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
            types.Count(t => t == "check-in-missed").ShouldBe(2, $"plan {plan}");
            types.Count(t => t == "escalation-raised").ShouldBe(1);
        }
        var messages = await server.Smtp.WaitFor(monitorEmail, plans.Count, TimeSpan.FromSeconds(20));
        messages.GroupBy(m => m.Headers["X-SafetyPlan-Delivery"]).ShouldAllBe(g => g.Count() == 1);
        messages.Count.ShouldBe(plans.Count); // one escalation e-mail per plan, from whichever node delivered it
    }

    [Fact]
    public async Task the_survivor_takes_over_the_asynchronous_projection_within_30_seconds_whichever_node_dies()
    {
        var database = await server.CreateDatabase("two_nodes_projection");
        var start = new DateTimeOffset(2027, 4, 5, 8, 0, 0, TimeSpan.FromHours(2));
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Cluster__Nodes"] = "2", ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var first = new ServerProcess(environment);
        await using var second = new ServerProcess(environment);
        await first.Start(start);
        await second.Start(start);

        var monitor = $"two-nodes-{Guid.NewGuid():N}";
        var professional = first.As(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Twee", family = "F", monitorId = monitor })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "15:00" }, reportFrom = "P1D" })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();
        var day = DateOnly.FromDateTime(start.DateTime);

        var kept = 0;
        async Task<TimeSpan> ReportAndWaitForTheCount(ServerProcess node, TimeSpan limit)
        {
            var client = node.As(monitor, "professional");
            (await client.Post($"/api/plans/{plan}/check-ins", new { clientId = Guid.NewGuid().ToString("N"), agreementId = agreement, memberId = member, outcome = "kept" })).EnsureSuccessStatusCode();
            kept++;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while ((await when_the_service_is_counted_per_day.Day(client, day)).Kept < kept)
            {
                watch.Elapsed.ShouldBeLessThan(limit, $"the daily statistics did not count check-in {kept} within {limit.TotalSeconds} s");
                await Task.Delay(250);
            }
            return watch.Elapsed;
        }

        // Both nodes up: the projection runs on one of them (Wolverine assigns it).
        await ReportAndWaitForTheCount(first, TimeSpan.FromSeconds(60));

        // Kill one, then (after it is back) the other: one of the two kills takes the projection's node down.
        var takeovers = new List<TimeSpan>();
        foreach (var (victim, survivor) in new[] { (first, second), (second, first) })
        {
            await victim.Kill();
            takeovers.Add(await ReportAndWaitForTheCount(survivor, TimeSpan.FromSeconds(30)));
            Console.WriteLine($"kill {takeovers.Count}: counted after {takeovers[^1].TotalSeconds:0.0} s");
            await victim.Start(start);
        }
        Console.WriteLine($"projection caught up after the kills in {string.Join(", ", takeovers.Select(t => $"{t.TotalSeconds:0.0} s"))}");

        // And nothing was counted twice while it moved.
        await Task.Delay(2000);
        (await when_the_service_is_counted_per_day.Day(second.As(monitor, "professional"), day)).Kept.ShouldBe(kept);
    }
}
