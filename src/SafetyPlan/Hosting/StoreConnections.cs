using Npgsql;

namespace SafetyPlan.Hosting;

public static class StoreConnections
{
    /// <summary>An open connection to the event store's database, for the few reads and locks Marten has no API for.</summary>
    public static async Task<NpgsqlConnection> OpenConnection(this IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Options.Tenancy.Default.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}
