using Marten;
using Microsoft.Extensions.DependencyInjection;
using SafetyPlan.Hosting;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// "The projections equal a fresh replay of the events": reads every projected document (plans, the escalation inbox,
/// the notification inbox), rebuilds all of them from the events with Marten's projection daemon, and lists every
/// document that differs. Run with the server stopped (a rebuild is an offline operation, README "Operating").
/// </summary>
public static class ProjectionReplay
{
    private static readonly (string Projection, string Table)[] Projections =
        [("Plan", "mt_doc_plan"), ("EscalationView", "mt_doc_escalationview"), ("InboxItem", "mt_doc_inboxitem")];

    public sealed record Outcome(int Documents, IReadOnlyList<string> Differences);

    public static async Task<Outcome> Compare(string connectionString)
    {
        var projected = await Read(connectionString);
        // The server's own composition on that database, never started: only its Marten store is used.
        await using (var app = SafetyPlanServer.Build([$"--ConnectionStrings:Postgres={connectionString}", "--Demo:Seed=false", "--Logging:LogLevel:Default=Warning"]))
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            using var daemon = await store.BuildProjectionDaemonAsync();
            foreach (var (projection, _) in Projections)
                await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(2), CancellationToken.None);
        }
        var replayed = await Read(connectionString);

        var differences = projected.Keys.Union(replayed.Keys)
            .Where(key => projected.GetValueOrDefault(key) != replayed.GetValueOrDefault(key))
            .Select(key => $"{key}:\n  projected {Clip(projected.GetValueOrDefault(key))}\n  replayed  {Clip(replayed.GetValueOrDefault(key))}")
            .ToList();
        return new Outcome(projected.Count, differences);
    }

    private static async Task<Dictionary<string, string>> Read(string connectionString)
    {
        var documents = new Dictionary<string, string>();
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (_, table) in Projections)
        {
            await using var query = new Npgsql.NpgsqlCommand($"select id::text, data::text from safetyplan.{table}", connection);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync()) documents[$"{table}/{reader.GetString(0)}"] = reader.GetString(1);
        }
        return documents;
    }

    private static string Clip(string? json) => json is null ? "(none)" : json.Length <= 600 ? json : json[..600] + "…";
}
