using System.Net;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// SafetyPlan in a process of its own, killed with SIGKILL in the middle of a deadline sweep and started again: no
/// missed check-in, escalation or e-mail is lost, and none is there twice.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_the_server_crashes(ServerFixture server)
{
    private const int Plans = 12;
    private const int Rounds = 3;

    [Fact]
    public async Task a_kill_in_the_middle_of_a_sweep_loses_nothing_and_doubles_nothing()
    {
        var database = await server.CreateDatabase("crash_test");
        var start = new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.FromHours(1));
        var monitor = $"crash-monitor-{Guid.NewGuid():N}";
        var monitorEmail = $"{monitor}@jeugdzorg.test";
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["Demo__Seed"] = "false",
            ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = server.Smtp.Port.ToString(),
        });
        await node.Start(start);

        var admin = node.As("admin", "admin");
        (await admin.PutAsync($"/api/users/{monitor}", System.Net.Http.Json.JsonContent.Create(new { name = "Monitor", email = monitorEmail, language = "en", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
        var professional = node.As(monitor, "professional");
        var planIds = new List<Guid>();
        for (var i = 0; i < Plans; i++)
        {
            var plan = await (await professional.Post("/api/plans", new { title = $"Crash {i}", family = "F", monitorId = monitor })).CreatedId();
            var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
            await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Ophalen", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H" })).CreatedId();
            await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Gemist", rule = new { kind = "missed-in-a-row", count = 1 } })).CreatedId();
            (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();
            planIds.Add(plan);
        }

        var now = start;
        var random = new Random(7);
        for (var round = 0; round < Rounds; round++)
        {
            now = now.AddDays(1);
            var sweep = node.As("clock", "admin").Post("/api/dev/clock", new { now });
            await Task.Delay(random.Next(20, 400));
            await node.Kill(); // somewhere in the sweep, or just after it
            try { await sweep; } catch (HttpRequestException) { } catch (TaskCanceledException) { }

            await node.Start(now);
            (await node.As("clock", "admin").Post("/api/dev/clock", new { advance = "PT0S" })).EnsureSuccessStatusCode();
        }

        foreach (var plan in planIds)
        {
            var history = await (await professional.GetAsync($"/api/plans/{plan}/history")).Json();
            var missed = history.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "check-in-missed")
                .Select(e => e.GetProperty("data").GetProperty("occurrence").GetDateTimeOffset()).ToList();
            missed.Count.ShouldBe(Rounds, $"plan {plan}");
            missed.Distinct().Count().ShouldBe(Rounds);
            history.EnumerateArray().Count(e => e.GetProperty("type").GetString() == "escalation-raised").ShouldBe(1);
            history.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()).ShouldBe(Enumerable.Range(1, history.GetArrayLength()).Select(v => (long)v));
        }

        // Per plan: the escalation, and (no backup, nobody acknowledged within 4 hours) the same escalation again as overdue.
        var messages = await server.Smtp.WaitFor(monitorEmail, 2 * Plans, TimeSpan.FromSeconds(30));
        var byDelivery = messages.GroupBy(m => m.Headers["X-SafetyPlan-Delivery"]).ToList();
        byDelivery.Count(g => g.Key.StartsWith("escalationraised:")).ShouldBe(Plans);
        byDelivery.Count(g => g.Key.StartsWith("escalationpassedtobackup:")).ShouldBe(Plans);
        // Exactly once, except that a kill between the mail server's acceptance and the recording of it may repeat
        // that one message, with the same Message-Id (docs/notifications.md); at most one per kill.
        byDelivery.ShouldAllBe(g => g.Select(m => m.MessageId).Distinct().Count() == 1);
        (messages.Count - 2 * Plans).ShouldBeLessThanOrEqualTo(Rounds);
    }
}
