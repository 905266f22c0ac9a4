using System.Diagnostics;
using Npgsql;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// A node killed while Hangfire held the recurring sweep's lock (taken for a moment whenever the sweep is enqueued)
/// leaves that lock behind for Scheduling:LockTimeout. Started again at once, the node waits for it instead of failing
/// to start, and registers the sweep as configured.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_killed_node_is_started_again(ServerFixture server)
{
    // Longer than the default (20 s), so that registering (which waits 15 s for a lock) would give up before the lock
    // expired however slowly the machine starts the node.
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(40);
    private static readonly DateTimeOffset Start = new(2027, 5, 3, 8, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task it_starts_although_its_dead_self_still_holds_the_recurring_sweeps_lock()
    {
        var database = await server.CreateDatabase("killed_node_restarts");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using (var node = new ServerProcess(environment))
        {
            await node.Start(Start);
            await node.Kill();
        }

        // A SIGKILL cannot be aimed at the few milliseconds the lock is held, so the test writes what such a death leaves.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var type = new NpgsqlCommand("select data_type from information_schema.columns where table_schema = 'hangfire' and table_name = 'lock' and column_name = 'acquired'", connection);
            var acquired = (string?)await type.ExecuteScalarAsync() == "timestamp with time zone" ? "now()" : "now() at time zone 'utc'";
            await using var take = new NpgsqlCommand($"insert into hangfire.lock (resource, acquired) values ('hangfire:lock:recurring-job:deadline-sweep', {acquired}) on conflict (resource) do update set acquired = excluded.acquired", connection);
            await take.ExecuteNonQueryAsync();
        }
        var killed = Stopwatch.StartNew();

        // Started again with another schedule, which it must still register once the dead node's lock has expired.
        await using var again = new ServerProcess(new Dictionary<string, string>(environment)
        {
            ["Scheduling__SweepCron"] = "*/2 * * * * *", ["Scheduling__LockTimeout"] = LockTimeout.ToString(),
        });
        await again.Start(Start);
        killed.Elapsed.ShouldBeGreaterThan(LockTimeout - TimeSpan.FromSeconds(3), "held back by the dead node's lock (proof that the lock is the one registering takes)");

        await using var check = new NpgsqlConnection(database);
        await check.OpenAsync();
        await using var cron = new NpgsqlCommand("select value from hangfire.hash where key = 'recurring-job:deadline-sweep' and field = 'Cron'", check);
        ((string?)await cron.ExecuteScalarAsync()).ShouldBe("*/2 * * * * *");
    }
}
