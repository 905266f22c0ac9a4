using Marten;
using Npgsql;
using SafetyPlan.Auth;
using SafetyPlan.Hosting;
using SafetyPlan.Decisions;
using SafetyPlan.Web;

namespace SafetyPlan.Audit;

/// <param name="FirstBrokenSequence">the global sequence of the first event whose hash does not match, when not intact</param>
public sealed record ChainVerification(Guid PlanId, bool Intact, int Events, long? FirstBrokenSequence, long? FirstBrokenVersion);

public static class VerifyChain
{
    /// <summary>Recomputes the chain from the stored rows themselves (type, JSON, order), not from what Marten would deserialize.</summary>
    public static async Task<ChainVerification?> Verify(IDocumentStore store, string tenantId, Guid planId, CancellationToken ct)
    {
        await using var connection = await store.OpenConnection(ct);
        await using var command = new NpgsqlCommand(
            $"select seq_id, version, type, data::text, headers ->> '{HashChain.Header}' from {store.Options.Events.DatabaseSchemaName}.mt_events where tenant_id = @tenant and stream_id = @id order by version",
            connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", planId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var previous = HashChain.Genesis;
        var count = 0;
        long expectedVersion = 0;
        while (await reader.ReadAsync(ct))
        {
            count++;
            var (sequence, version) = (reader.GetInt64(0), reader.GetInt64(1));
            var stored = reader.IsDBNull(4) ? null : reader.GetString(4);
            var computed = HashChain.Link(previous, planId, version, reader.GetString(2), reader.GetString(3));
            if (version != ++expectedVersion || stored != computed)
                return new ChainVerification(planId, false, count, sequence, version);
            previous = stored;
        }
        return count == 0 ? null : new ChainVerification(planId, true, count, null, null);
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
