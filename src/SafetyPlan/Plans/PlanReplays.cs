namespace SafetyPlan.Plans;

/// <summary>
/// The plan exactly as it stood after one of its versions, aggregated from a stored <see cref="PlanReplaySnapshot"/> at or below
/// that version and the events after it, instead of from event 1 each time (README, Performance, measurement 6).
/// Snapshots are a cache written on read, never on the append path: the first replay past a boundary of
/// <see cref="Interval"/> versions stores the plan at that boundary. They are exact because events below a version never change,
/// except by the retention pass's masking, which deletes a plan's snapshots in its own transaction (Privacy/RetentionPass.cs).
/// A snapshot carries the build of the code that aggregated it (<see cref="Build"/>), so a deployment with other Evolve rules
/// never reads an older one; projection rebuilds do not touch them and need not (they derive from the same unchanged events).
/// </summary>
public static class PlanReplays
{
    public const int Interval = 1000;

    /// <summary>This build of the aggregation rules: a snapshot from another build is ignored (and rewritten under a new id).</summary>
    public static readonly string Build = typeof(Plan).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public static string SnapshotId(Guid planId, long version) => $"{planId:N}:{version}:{Build}";

    public static async Task<Plan?> AtVersion(IQuerySession session, Guid planId, long version, CancellationToken ct)
    {
        var boundary = version / Interval * Interval;
        if (boundary == 0) return await session.Events.AggregateStreamAsync<Plan>(planId, version: version, token: ct);

        var snapshot = await session.LoadAsync<PlanReplaySnapshot>(SnapshotId(planId, boundary), ct);
        Plan? plan;
        if (snapshot is not null)
            plan = snapshot.Plan;
        else
        {
            plan = await session.Events.AggregateStreamAsync<Plan>(planId, version: boundary, token: ct);
            if (plan is null || plan.Version != boundary) return plan; // a stream shorter than asked: nothing to keep
            await Keep(session, planId, boundary, plan, ct);
        }
        if (version == boundary) return plan;
        return await session.Events.AggregateStreamAsync(planId, version: version, state: plan, fromVersion: boundary + 1, token: ct);
    }

    private static async Task Keep(IQuerySession session, Guid planId, long boundary, Plan plan, CancellationToken ct)
    {
        // Its own short session of the same organisation: the query session cannot write, and the snapshot is only a cache.
        await using var write = session.DocumentStore.LightweightSession(session.TenantId);
        // A plan masked since this replay read its events must not get its personal data back in a snapshot. (The check
        // and the write are not one atomic step: a masking that commits in between leaves a snapshot behind; known limit.)
        if ((await write.LoadAsync<Plan>(planId, ct))?.PersonalDataMaskedAt is not null) return;
        write.Store(new PlanReplaySnapshot { Id = SnapshotId(planId, boundary), PlanId = planId, Version = boundary, Plan = plan });
        try
        {
            await write.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a cache: the replay itself is already exact, so a failed write must not fail the auditor's read.
        }
    }
}

/// <summary>A plan as it stood after <see cref="Version"/> (a multiple of <see cref="PlanReplays.Interval"/>), kept for replays.</summary>
public sealed class PlanReplaySnapshot
{
    public string Id { get; set; } = "";
    public Guid PlanId { get; set; }
    public long Version { get; set; }
    public Plan Plan { get; set; } = new();
}
