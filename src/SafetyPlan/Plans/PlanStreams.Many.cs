using JasperFx.Events;
using Npgsql;
using SafetyPlan.Audit;
using SafetyPlan.Hosting;

namespace SafetyPlan.Plans;

/// <summary>What <see cref="PlanStreams.DecideMany{T}"/> did: the plans it decided (and stored), and those left to decide one by one.</summary>
public sealed record ManyDecisions<T>(IReadOnlyDictionary<Guid, Decision<T>> Decided, IReadOnlyList<Guid> Undecided);

public sealed partial class PlanStreams
{
    /// <summary>
    /// Many plans of the caller's organisation in one transaction: the plans are loaded in one round trip, each is
    /// decided, every plan's events are appended at its stream's expected version and committed at once. A plan whose
    /// decision throws is left out and returned as undecided. All or nothing otherwise: when the commit fails (a plan
    /// changed at the same moment, or one bad plan), nothing is stored and every plan is returned as undecided, for
    /// the caller to take one by one through <see cref="Decide{T}"/>. No in-process gate is taken: a report at the same
    /// moment makes the commit fail on the version, never appends twice.
    /// </summary>
    public async Task<ManyDecisions<T>> DecideMany<T>(
        IReadOnlyCollection<Guid> planIds, Caller caller, string cause, Func<Plan?, DateTimeOffset, Decision<T>> decide, CancellationToken cancellationToken)
    {
        await using var session = OpenSession(caller, cause);
        var batch = session.CreateBatchQuery();
        var fetches = planIds.Distinct().Select(id => (Id: id, Stream: batch.Events.FetchForWriting<Plan>(id))).ToList();
        await batch.Execute(cancellationToken);

        var decided = new Dictionary<Guid, Decision<T>>();
        var undecided = new List<Guid>();
        var appending = new List<(IEventStream<Plan> Stream, Decision<T> Decision)>();
        var now = clock.GetUtcNow();
        foreach (var (id, fetch) in fetches)
        {
            var stream = await fetch;
            switch (Standing(stream))
            {
                case DocumentStanding.Behind:
                    decided[id] = BeingRebuilt;
                    continue;
                case DocumentStanding.Ahead: // changed between Marten's two reads: decided on its own, freshly read
                    undecided.Add(id);
                    continue;
            }
            try
            {
                if (stream.Aggregate is { } current && await caller.MayChange(current, session, cancellationToken) is { } refused)
                {
                    decided[id] = refused;
                    continue;
                }
                var decision = decide(stream.Aggregate, now);
                if (decision.Accepted && decision.Events.Count > 0) appending.Add((stream, decision));
                else decided[id] = decision;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "Deciding plan {PlanId} in a batch failed; it is left to be decided on its own", id);
                undecided.Add(id);
            }
        }
        if (appending.Count == 0) return new ManyDecisions<T>(decided, undecided);

        var heads = await ChainHeads(session.TenantId,
            appending.Where(a => KeptHead(a.Stream) is null).Select(a => (a.Stream.Id, a.Stream.CurrentVersion!.Value)).ToList(), cancellationToken);
        foreach (var (stream, decision) in appending)
        {
            var version = stream.CurrentVersion ?? 0;
            var previous = KeptHead(stream) ?? heads.GetValueOrDefault(stream.Id) ?? HashChain.Genesis;
            stream.AppendMany(Seal(session, stream.Id, version, previous, decision.Events).ToArray());
            await EnrolDeliveries(session, stream.Id, decision.Events, clock.GetUtcNow());
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogInformation("A batch of {Plans} plan(s) was not stored ({Error}); each is decided on its own", fetches.Count, IsVersionConflict(e) ? "changed at the same moment" : e.Message);
            return new ManyDecisions<T>(new Dictionary<Guid, Decision<T>>(), fetches.Select(f => f.Id).ToList());
        }
        foreach (var (stream, decision) in appending) decided[stream.Id] = decision;
        return new ManyDecisions<T>(decided, undecided);
    }

    /// <summary>The hash-chain head (the hash of the event at the given version) of many streams of one organisation, in one query.</summary>
    private async Task<Dictionary<Guid, string?>> ChainHeads(string tenantId, IReadOnlyList<(Guid Id, long Version)> streams, CancellationToken ct)
    {
        var heads = new Dictionary<Guid, string?>();
        if (streams.Count == 0) return heads;
        await using var connection = await store.OpenConnection(ct);
        await using var command = new NpgsqlCommand(
            $"select e.stream_id, e.headers ->> '{HashChain.Header}' from {store.Options.Events.DatabaseSchemaName}.mt_events e " +
            "join unnest(@ids, @versions) as head(id, version) on e.stream_id = head.id and e.version = head.version where e.tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("ids", streams.Select(s => s.Id).ToArray());
        command.Parameters.AddWithValue("versions", streams.Select(s => s.Version).ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            heads[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return heads;
    }
}
