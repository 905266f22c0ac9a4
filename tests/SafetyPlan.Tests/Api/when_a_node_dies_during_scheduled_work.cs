using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Two nodes on the system clock, no manual clock sweeping for the test: only the Hangfire servers' own recurring sweep
/// handles deadlines. One node is killed before a deadline falls due; the survivor's Hangfire handles it, once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_node_dies_during_scheduled_work(ServerFixture server)
{
    private static readonly TimeSpan AcknowledgeWithin = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task the_survivors_hangfire_passes_an_unacknowledged_escalation_to_the_backup_once_within_30_seconds()
    {
        var database = await server.CreateDatabase("node_dies_scheduled");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = server.Smtp.Port.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            // A sweep every two seconds and a one-second look at Hangfire's tables, so that the test measures the
            // takeover rather than the production minute (docs/scaling.md).
            ["Scheduling__SweepCron"] = "*/2 * * * * *", ["Scheduling__PollingInterval"] = "00:00:01",
            ["Scheduling__LockTimeout"] = "00:00:10",
        };
        await using var first = new ServerProcess(environment) { ManualClock = false };
        await using var second = new ServerProcess(environment) { ManualClock = false };
        await Task.WhenAll(first.Start(default), second.Start(default));

        var id = Guid.NewGuid().ToString("N")[..8];
        var (monitor, backup) = ($"node-dies-monitor-{id}", $"node-dies-backup-{id}");
        foreach (var user in new[] { monitor, backup })
            (await first.As("admin", "admin").PutAsync($"/api/users/{user}", JsonContent.Create(new { name = user, email = $"{user}@jeugdzorg.test", language = "en", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
        var professional = first.As(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Knoop valt uit", family = "F", monitorId = monitor, backupId = backup })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "15:00" } })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ernstige zorg", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT20S" })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2099-06-01" })).EnsureSuccessStatusCode();

        // The concern raises the escalation at once; nobody acknowledges it, so 20 s later the backup must be told.
        var reported = Stopwatch.StartNew();
        (await first.As("oma", $"member:{member}").Post($"/api/plans/{plan}/concerns", new { clientId = "k1", memberId = member, text = "Politie aan de deur", severity = "high" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        await first.Kill();
        reported.Elapsed.ShouldBeLessThan(AcknowledgeWithin, "the node must be dead before the deadline falls due");
        var beforeDue = reported.Elapsed;

        var reader = second.As(monitor, "professional");
        async Task<int> PassedToBackup() =>
            (await (await reader.GetAsync($"/api/plans/{plan}/history")).Json()).EnumerateArray()
            .Count(e => e.GetProperty("type").GetString() == "escalation-passed-to-backup");
        while (await PassedToBackup() == 0)
        {
            (reported.Elapsed - AcknowledgeWithin).ShouldBeLessThan(TimeSpan.FromSeconds(30), "the survivor's sweep did not pass the escalation on within 30 s of its deadline");
            await Task.Delay(250);
        }
        var late = reported.Elapsed - AcknowledgeWithin; // measured from before the report: an upper bound
        late.ShouldBeGreaterThan(TimeSpan.Zero - TimeSpan.FromSeconds(2)); // not before its time (clock granularity aside)
        Console.WriteLine($"node killed {beforeDue.TotalSeconds:0.0} s after the report; the survivor passed the escalation to the backup {late.TotalSeconds:0.0} s after its deadline");

        var messages = await server.Smtp.WaitFor($"{backup}@jeugdzorg.test", 1, TimeSpan.FromSeconds(20));
        messages.Count.ShouldBe(1);
        messages[0].Subject.ShouldStartWith("Not acknowledged");

        // Many more sweeps later, on the survivor: still once.
        await Task.Delay(TimeSpan.FromSeconds(6));
        (await PassedToBackup()).ShouldBe(1);
        server.Smtp.MessagesTo($"{backup}@jeugdzorg.test").Count.ShouldBe(1);
        server.Smtp.MessagesTo($"{monitor}@jeugdzorg.test").Count.ShouldBe(1); // the escalation itself, once
    }
}
