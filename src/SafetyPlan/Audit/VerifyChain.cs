using Npgsql;
using SafetyPlan.Hosting;

namespace SafetyPlan.Audit;

/// <param name="FirstBrokenSequence">the global sequence of the first event whose hash does not match, when not intact</param>
/// <param name="Masking">when personal data was masked after the retention period: when, and the chain heads recorded then</param>
/// <param name="Reason">why it is not intact, in English: <c>hash</c> (an event does not match its chain), <c>events-removed</c>
/// (the stream's version or the plan's kept head is beyond the last stored event), <c>head-differs</c> (the plan's kept head
/// is not the last event's hash), <c>anchor-missing</c> or <c>anchor-differs</c> (against <c>?anchor=</c>)</param>
/// <param name="Head">the chain's head as an anchor, <c>&lt;hash&gt;@&lt;version&gt;</c>, when intact</param>
public sealed record ChainVerification(Guid PlanId, bool Intact, int Events, long? FirstBrokenSequence, long? FirstBrokenVersion,
    Privacy.ChainMasking? Masking = null, string? Reason = null, string? Head = null);

/// <summary>One stored event as the chain sees it: its row's type and JSON, the hashes in its headers, and (rule 2) who appended it.</summary>
public sealed record StoredLink(long Sequence, long Version, string Type, string Json, string? Hash, string? MaskedHash,
    string? Rule = null, HashChain.Appender? Appender = null)
{
    /// <summary>This event's link from <paramref name="previous"/> by the rule it was appended under.</summary>
    public string Link(string previous, Guid planId) => Rule == HashChain.Rule2 && Appender is { } who
        ? HashChain.Link(previous, planId, Version, Type, Json, who)
        : Rule is null or "1" ? HashChain.Link(previous, planId, Version, Type, Json)
        : ""; // an unknown rule never matches
}

public static class VerifyChain
{
    /// <summary>
    /// Recomputes the chain from the stored rows themselves (type, JSON, order, and for rule 2 who appended them), not
    /// from what Marten would deserialize; then holds its end against the stream's version (<c>mt_streams</c>), the head
    /// kept on the plan document, and, when given, an <paramref name="anchor"/> kept outside the database. Null for an
    /// unknown plan. A deleted tail leaves the chain itself intact, so only these comparisons catch it.
    /// </summary>
    /// <param name="anchor"><c>&lt;hash&gt;@&lt;version&gt;</c>, as the security channel's <c>chain-anchor</c> records gave it</param>
    public static async Task<ChainVerification?> Verify(IDocumentStore store, string tenantId, Guid planId, CancellationToken ct, Anchor? anchor = null)
    {
        // The events and both ends from one snapshot: a plan that is written while it is verified (a report, a delivery
        // recorded) would otherwise show a stream version beyond the events read, as if events had been removed.
        await using var connection = await store.OpenConnection(ct);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var links = await Read(connection, store, tenantId, planId, ct);
        if (links.Count == 0) return null;
        var chain = Privacy.MaskedChain.Check(planId, links);
        if (!chain.Intact) return chain with { Reason = "hash" };
        var last = links[^1];
        var (streamVersion, keptHead, keptVersion) = await Ends(connection, store, tenantId, planId, ct);
        if (streamVersion > last.Version || keptVersion > last.Version)
            return chain with { Intact = false, FirstBrokenVersion = last.Version + 1, Reason = "events-removed" };
        if (keptVersion == last.Version && keptHead is not null && keptHead != last.Hash)
            return chain with { Intact = false, FirstBrokenSequence = last.Sequence, FirstBrokenVersion = last.Version, Reason = "head-differs" };
        if (anchor is { } a)
        {
            if (a.Version > last.Version)
                return chain with { Intact = false, FirstBrokenVersion = last.Version + 1, Reason = "anchor-missing" };
            var anchored = links[(int)a.Version - 1];
            if (anchored.Hash != a.Hash && anchored.MaskedHash != a.Hash)
                return chain with { Intact = false, FirstBrokenSequence = anchored.Sequence, FirstBrokenVersion = anchored.Version, Reason = "anchor-differs" };
        }
        return chain with { Head = $"{last.Hash}@{last.Version}" };
    }

    /// <summary>A chain head recorded outside the database: the hash of the event at <see cref="Version"/>.</summary>
    public sealed record Anchor(string Hash, long Version)
    {
        /// <summary><c>&lt;64 hex digits&gt;@&lt;version 1 or more&gt;</c>; null when it is not that.</summary>
        public static Anchor? Parse(string? text) =>
            text?.Split('@') is [var hash, var version] && hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower)
            && long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                ? new Anchor(hash, v) : null;
    }

    /// <summary>The plan's stored events as the chain sees them, in version order.</summary>
    public static async Task<IReadOnlyList<StoredLink>> Read(IDocumentStore store, string tenantId, Guid planId, CancellationToken ct)
    {
        await using var connection = await store.OpenConnection(ct);
        return await Read(connection, store, tenantId, planId, ct);
    }

    private static async Task<IReadOnlyList<StoredLink>> Read(NpgsqlConnection connection, IDocumentStore store, string tenantId, Guid planId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select seq_id, version, type, data::text, headers ->> '{HashChain.Header}', headers ->> '{HashChain.MaskedHeader}', " +
            $"headers ->> '{HashChain.RuleHeader}', tenant_id, user_name, headers ->> '{HashChain.RolesHeader}', headers ->> '{HashChain.AtHeader}' " +
            $"from {store.Options.Events.DatabaseSchemaName}.mt_events where tenant_id = @tenant and stream_id = @id order by version",
            connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", planId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var links = new List<StoredLink>();
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync(ct))
            links.Add(new StoredLink(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), Text(4), Text(5),
                Text(6), new HashChain.Appender(Text(7) ?? "", Text(8) ?? "", Text(9) ?? "", Text(10) ?? "")));
        return links;
    }

    /// <summary>The stream's version as <c>mt_streams</c> keeps it, and the chain head the plan document keeps (with its version).</summary>
    private static async Task<(long StreamVersion, string? KeptHead, long KeptVersion)> Ends(NpgsqlConnection connection, IDocumentStore store, string tenantId, Guid planId, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var plans = store.Options.FindOrResolveDocumentType(typeof(Plan)).TableName.QualifiedName;
        await using var command = new NpgsqlCommand(
            $"select (select version from {schema}.mt_streams where tenant_id = @tenant and id = @id), " +
            $"(select data ->> 'chainHead' from {plans} where tenant_id = @tenant and id = @id), " +
            $"(select (data ->> 'chainHeadVersion')::bigint from {plans} where tenant_id = @tenant and id = @id)", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", planId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? 0 : reader.GetInt64(2));
    }

    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/verify", async (
            Guid planId, [System.ComponentModel.Description("A chain head kept outside the database: <hash>@<version>.")] string? anchor,
            HttpContext http, IDocumentStore store, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var anchored = Anchor.Parse(anchor);
            if (anchor is not null && anchored is null)
                return new FieldErrors().Add("anchor", "'anchor' is <64 lower-case hex digits>@<version>.", "'anchor' is <64 kleine hexadecimale tekens>@<versie>.")
                    .ToRejection()!.ToProblem(caller.Language);
            var tenant = Organisations.Tenants.Of(caller);
            var result = await Verify(store, tenant, planId, ct, anchored);
            if (result is null) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);
            if (!result.Intact)
                SecurityEvents.TamperDetected(loggers.CreateLogger(SecurityEvents.Category), caller.Organisation, planId,
                    $"{result.Reason} at version {result.FirstBrokenVersion}");
            return Results.Ok(result);
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("Recompute the plan's hash chain and hold it against the stream's version, the plan's kept head and an optional anchor (?anchor=<hash>@<version>): intact with its head, or the first event that does not match and why (professionals and auditors).")
        .Produces<ChainVerification>();
}
