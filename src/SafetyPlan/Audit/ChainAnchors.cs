using Hangfire;
using Marten.Services;
using Npgsql;
using SafetyPlan.Hosting;
using SafetyPlan.Escalations;
using SafetyPlan.Scheduling;

namespace SafetyPlan.Audit;

/// <summary>
/// Anchors the plans' chain heads outside the database: every plan's head, daily (Hangfire job <see cref="JobId"/>), and a
/// plan's head whenever an escalation is raised on it, each as a <c>chain-anchor</c> record on the security channel
/// (<see cref="SecurityEvents"/>). Someone who rewrites a plan's events and its document together, consistently, still
/// cannot change an anchor already sent; <c>GET /api/plans/{planId}/verify?anchor=&lt;hash&gt;@&lt;version&gt;</c> detects the rewrite.
/// </summary>
public sealed class ChainAnchors(IDocumentStore store, ILoggerFactory loggers)
{
    public const string JobId = "chain-anchors";

    /// <summary>Sends every hash-chained stream's head (its last event's <c>hash</c> and version), across all organisations.</summary>
    /// <returns>how many heads were sent</returns>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> Run(CancellationToken ct)
    {
        var logger = loggers.CreateLogger(SecurityEvents.Category);
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = await store.OpenConnection(ct);
        await using var command = new NpgsqlCommand(
            $"select s.tenant_id, s.id, e.version, e.headers ->> '{HashChain.Header}' from {schema}.mt_streams s " +
            $"join {schema}.mt_events e on e.tenant_id = s.tenant_id and e.stream_id = s.id and e.version = s.version " +
            $"where e.headers ? '{HashChain.Header}'", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var sent = 0;
        while (await reader.ReadAsync(ct))
        {
            SecurityEvents.ChainAnchor(logger, Organisations.Tenants.Organisation(reader.GetString(0)), reader.GetGuid(1),
                reader.GetInt64(2), reader.GetString(3), "daily");
            sent++;
        }
        return sent;
    }

}

public static class ChainAnchorJob
{
    /// <summary>The daily job (the security channel's receiver keeps what it is sent).</summary>
    public static WebApplication UseChainAnchors(this WebApplication app)
    {
        app.RegisterRecurringJob(ChainAnchors.JobId, jobs => jobs.AddOrUpdate<ChainAnchors>(ChainAnchors.JobId, anchors => anchors.Run(CancellationToken.None), Cron.Daily()));
        return app;
    }
}

/// <summary>After a commit that raised an escalation: the plan's new head goes to the security channel (see <see cref="ChainAnchors"/>).</summary>
public sealed class AnchorOnEscalation(ILoggerFactory loggers) : DocumentSessionListenerBase, IConfigureMarten
{
    public void Configure(IServiceProvider services, StoreOptions options) => options.Listeners.Add(this);

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var stream in commit.GetEvents().GroupBy(e => e.StreamId))
        {
            if (!stream.Any(e => e.Data is EscalationRaised)) continue;
            var last = stream.MaxBy(e => e.Version)!;
            if (last.Headers?.TryGetValue(HashChain.Header, out var hash) != true || hash?.ToString() is not { } head) continue;
            SecurityEvents.ChainAnchor(loggers.CreateLogger(SecurityEvents.Category), Organisations.Tenants.Organisation(last.TenantId),
                last.StreamId, last.Version, head, "escalation");
        }
        return Task.CompletedTask;
    }
}
