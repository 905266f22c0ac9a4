using Hangfire;
using Marten.Services;
using Npgsql;
using SafetyPlan.Hosting;
using SafetyPlan.Escalations;
using SafetyPlan.Scheduling;

namespace SafetyPlan.Audit;

/// <summary>
/// Anchors the plans' chain heads outside the database: every plan's head, daily (Hangfire job <see cref="JobId"/>, at
/// 00:00 UTC), and a plan's head whenever an escalation is raised on it, each as a <c>chain-anchor</c> record on the
/// security channel (<see cref="SecurityEvents"/>). Someone who rewrites a plan's events and its document together,
/// consistently, still cannot change an anchor already sent; <c>GET /api/plans/{planId}/verify?anchor=&lt;hash&gt;@&lt;version&gt;</c> detects the rewrite.
/// </summary>
/// <remarks>
/// The daily run sends each head once per day (the UTC date of SafetyPlan's clock): a second run the same day (a
/// retry, "Trigger now" on the dashboard, a second node) sends only heads that changed since, so the receiver gets no
/// duplicates; the next day every head goes out again, so that a receiver that keeps records for a limited time always
/// holds a recent anchor of every plan. What was sent is kept in <c>chain_anchors_sent</c> (one row per stream), written in
/// the same statement that picks the heads; a node that dies between that statement and the export loses that day's
/// anchors of those heads (the next day's run sends them). Escalation anchors are always sent.
/// </remarks>
public sealed class ChainAnchors(IDocumentStore store, ILoggerFactory loggers, TimeProvider time)
{
    public const string JobId = "chain-anchors";

    /// <summary>Sends every hash-chained stream's head (its last event's <c>hash</c> and version), across all organisations, that was not sent yet today.</summary>
    /// <returns>how many heads were sent</returns>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> Run(CancellationToken ct)
    {
        var logger = loggers.CreateLogger(SecurityEvents.Category);
        var schema = store.Options.Events.DatabaseSchemaName;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        await using var connection = await store.OpenConnection(ct);
        await using (var create = new NpgsqlCommand(
            $"create table if not exists {schema}.chain_anchors_sent (tenant_id varchar not null, stream_id uuid not null, " +
            "version bigint not null, day date not null, primary key (tenant_id, stream_id))", connection))
        {
            try { await create.ExecuteNonQueryAsync(ct); }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject) { }
        }
        await using var command = new NpgsqlCommand(
            $"with heads as (select s.tenant_id, s.id, e.version, e.headers ->> '{HashChain.Header}' as hash from {schema}.mt_streams s " +
            $"join {schema}.mt_events e on e.tenant_id = s.tenant_id and e.stream_id = s.id and e.version = s.version " +
            $"where e.headers ? '{HashChain.Header}'), " +
            $"sent as (insert into {schema}.chain_anchors_sent as a (tenant_id, stream_id, version, day) select tenant_id, id, version, @day from heads " +
            "on conflict (tenant_id, stream_id) do update set version = excluded.version, day = excluded.day " +
            "where a.day < excluded.day or a.version <> excluded.version returning tenant_id, stream_id, version) " +
            "select h.tenant_id, h.id, h.version, h.hash from heads h join sent on sent.tenant_id = h.tenant_id and sent.stream_id = h.id and sent.version = h.version", connection);
        command.Parameters.AddWithValue("day", today);
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
