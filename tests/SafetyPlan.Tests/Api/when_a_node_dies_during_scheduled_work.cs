using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Two nodes, the survivor on the system clock, no manual clock sweeping for the test: only the Hangfire servers' own
/// recurring sweep handles deadlines, with the production defaults (a sweep every 15 s, 5 s polling, a 20 s lock
/// timeout). One node is killed before a deadline falls due; the survivor's Hangfire handles it, once, within 30 s.
/// The escalation's deadline is the contract's least (PT5M); the node that raises it has a manual clock set that much
/// minus 20 s behind and standing still, so that it falls due 20 s after the report in real time on the survivor's
/// system clock and never on the killed node's.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_node_dies_during_scheduled_work(ServerFixture server)
{
    private static readonly TimeSpan AcknowledgeWithin = SafetyPlan.Web.Bounds.AcknowledgeWithin.Min;
    /// <summary>How long after the report the escalation falls due, in real time.</summary>
    private static readonly TimeSpan DueAfter = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LockTimeout = SafetyPlan.Scheduling.ConfigureScheduling.DefaultLockTimeout;

    [Fact]
    public async Task the_survivors_hangfire_passes_an_unacknowledged_escalation_to_the_backup_once_within_30_seconds()
    {
        var late = await KillANodeThenAwaitTheBackup("node_dies_scheduled", leaveTheSweepLockBehind: false);
        late.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task a_sweep_lock_left_by_the_killed_node_holds_the_survivor_back_only_until_the_lock_times_out()
    {
        var late = await KillANodeThenAwaitTheBackup("node_dies_mid_sweep", leaveTheSweepLockBehind: true);
        // Held back by the dead node's lock (proof that the lock is the sweep's), but no longer than its timeout.
        late.ShouldBeGreaterThan(LockTimeout - TimeSpan.FromSeconds(3));
        late.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }

    /// <returns>How long after the escalation's acknowledgement deadline the survivor passed it to the backup (an upper bound).</returns>
    private async Task<TimeSpan> KillANodeThenAwaitTheBackup(string name, bool leaveTheSweepLockBehind)
    {
        var database = await server.CreateDatabase(name);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = server.Smtp.Port.ToString(), ["Smtp__Security"] = "None",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var first = new ServerProcess(environment); // a manual clock, set below
        await using var second = new ServerProcess(environment) { ManualClock = false };
        await Task.WhenAll(first.Start(DateTimeOffset.UtcNow - AcknowledgeWithin), second.Start(default));

        var id = Guid.NewGuid().ToString("N")[..8];
        var (monitor, backup) = ($"node-dies-monitor-{id}", $"node-dies-backup-{id}");
        foreach (var user in new[] { monitor, backup })
            (await first.As("admin", "admin").PutAsync($"/api/users/{user}", JsonContent.Create(new { name = user, email = $"{user}@jeugdzorg.test", language = "en", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
        var professional = first.As(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Knoop valt uit", family = "F", monitorId = monitor, backupId = backup })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "15:00" } })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ernstige zorg", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT5M" })).CreatedId();
        var evaluationDue = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue })).EnsureSuccessStatusCode();

        // The concern raises the escalation at once; nobody acknowledges it, so 20 s later the backup must be told.
        var reported = Stopwatch.StartNew();
        (await first.As("clock", "admin").Post("/api/dev/clock", new { now = DateTimeOffset.UtcNow - AcknowledgeWithin + DueAfter })).EnsureSuccessStatusCode();
        (await first.As("oma", $"member:{member}").Post($"/api/plans/{plan}/concerns", new { clientId = "k1", memberId = member, text = "Politie aan de deur", severity = "high" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        // The first node's manual clock stands still 20 s before the deadline, so it can never pass the escalation on, however
        // late this kill lands on a busy machine: whatever passes it on is the survivor.
        await first.Kill();

        if (leaveTheSweepLockBehind)
        {
            // A SIGKILL cannot be aimed at a sweep that lasts milliseconds, so the test writes what such a death leaves:
            // the sweep's DisableConcurrentExecution lock row, taken a moment before the deadline and never released.
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            while (reported.Elapsed < DueAfter - TimeSpan.FromSeconds(1)) await Task.Delay(50);
            await using var type = new NpgsqlCommand("select data_type from information_schema.columns where table_schema = 'hangfire' and table_name = 'lock' and column_name = 'acquired'", connection);
            var acquired = (string?)await type.ExecuteScalarAsync() == "timestamp with time zone" ? "now()" : "now() at time zone 'utc'";
            await using var take = new NpgsqlCommand($"insert into hangfire.lock (resource, acquired) values ('hangfire:DeadlineSweep.Run', {acquired}) on conflict do nothing", connection);
            while (await take.ExecuteNonQueryAsync() == 0) await Task.Delay(10); // the survivor's own sweep holds it for a few ms
        }

        var reader = second.As(monitor, "professional");
        async Task<int> PassedToBackup() =>
            (await (await reader.GetAsync($"/api/plans/{plan}/history")).Json()).EnumerateArray()
            .Count(e => e.GetProperty("type").GetString() == "escalation-passed-to-backup");
        while (await PassedToBackup() == 0)
        {
            (reported.Elapsed - DueAfter).ShouldBeLessThan(TimeSpan.FromSeconds(30), "the survivor's sweep did not pass the escalation on within 30 s of its deadline");
            await Task.Delay(250);
        }
        var late = reported.Elapsed - DueAfter; // measured from before the report: an upper bound
        Console.WriteLine($"{name}: the survivor passed the escalation to the backup {late.TotalSeconds:0.0} s after its deadline");

        var messages = await server.Smtp.WaitFor($"{backup}@jeugdzorg.test", 1, TimeSpan.FromSeconds(20));
        messages.Count.ShouldBe(1);
        messages[0].Subject.ShouldStartWith("Not acknowledged");

        // Many more sweeps later, on the survivor: still once.
        await Task.Delay(TimeSpan.FromSeconds(6));
        (await PassedToBackup()).ShouldBe(1);
        server.Smtp.MessagesTo($"{backup}@jeugdzorg.test").Count.ShouldBe(1);
        server.Smtp.MessagesTo($"{monitor}@jeugdzorg.test").Count.ShouldBe(1); // the escalation itself, once
        return late;
    }
}
