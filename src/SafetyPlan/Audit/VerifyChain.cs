using Npgsql;
using SafetyPlan.Hosting;

namespace SafetyPlan.Audit;

/// <param name="FirstBrokenSequence">the global sequence of the first event whose hash does not match, when not intact</param>
/// <param name="Masking">when personal data was masked after the retention period: when, and the chain heads recorded then</param>
public sealed record ChainVerification(Guid PlanId, bool Intact, int Events, long? FirstBrokenSequence, long? FirstBrokenVersion,
    Privacy.ChainMasking? Masking = null);

/// <summary>One stored event as the chain sees it: its row's type and JSON, and the hashes in its headers.</summary>
public sealed record StoredLink(long Sequence, long Version, string Type, string Json, string? Hash, string? MaskedHash);

public static class VerifyChain
{
    /// <summary>Recomputes the chain from the stored rows themselves (type, JSON, order), not from what Marten would deserialize.</summary>
    public static async Task<ChainVerification?> Verify(IDocumentStore store, string tenantId, Guid planId, CancellationToken ct)
    {
        var links = await Read(store, tenantId, planId, ct);
        return links.Count == 0 ? null : Privacy.MaskedChain.Check(planId, links);
    }

    public static async Task<IReadOnlyList<StoredLink>> Read(IDocumentStore store, string tenantId, Guid planId, CancellationToken ct)
    {
        await using var connection = await store.OpenConnection(ct);
        await using var command = new NpgsqlCommand(
            $"select seq_id, version, type, data::text, headers ->> '{HashChain.Header}', headers ->> '{HashChain.MaskedHeader}' from {store.Options.Events.DatabaseSchemaName}.mt_events where tenant_id = @tenant and stream_id = @id order by version",
            connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", planId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var links = new List<StoredLink>();
        while (await reader.ReadAsync(ct))
            links.Add(new StoredLink(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        return links;
    }

    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/verify", async (
            Guid planId, HttpContext http, IDocumentStore store, CancellationToken ct) =>
        {
            var result = await Verify(store, Organisations.Tenants.Of(http.Caller()), planId, ct);
            return result is null ? Rejection.PlanNotFound(planId).ToProblem(http.Caller().Language) : Results.Ok(result);
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("Recompute the plan's hash chain: intact, or the first event that does not match (professionals and auditors).")
        .Produces<ChainVerification>();
}
