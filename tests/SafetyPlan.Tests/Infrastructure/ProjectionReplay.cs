using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using SafetyPlan.Hosting;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// "The projections equal a fresh replay of the events": reads every document projected inline (plans, the escalation
/// inbox, the notification inbox, the reports' receipts), rebuilds all of them from the events with Marten's projection
/// daemon, and lists every document that differs, with the JSON paths that differ. Run with the server stopped (a
/// rebuild is an offline operation, README "Operating").
/// </summary>
public static class ProjectionReplay
{
    private static readonly (string Projection, string Table)[] Projections =
    [
        ("Plan", "mt_doc_plan"), ("EscalationView", "mt_doc_escalationview"), ("InboxItem", "mt_doc_inboxitem"),
        ("SafetyPlan.Reports.ReportReceiptProjection", "mt_doc_reportreceipt"),
    ];

    /// <summary>The Marten names of the projections compared here.</summary>
    public static IReadOnlyList<string> Names => Projections.Select(p => p.Projection).ToList();

    public sealed record Outcome(int Documents, IReadOnlyList<string> Differences);

    public static async Task<Outcome> Compare(string connectionString)
    {
        var projected = await Read(connectionString);
        // The server's own store on that database, without its host: a second host in this process would take over
        // Hangfire's static log provider and leave it disposed for the fixture's server.
        await using (var store = DocumentStore.For(opts => opts.UseSafetyPlanStore(connectionString)))
            await Rebuild(store);
        var replayed = await Read(connectionString);
        return new Outcome(projected.Count, Differences(projected, replayed));
    }

    /// <summary>Rebuilds every projection compared here from the events; with no server writing (see <see cref="ServerFixture.RebuildWhileQuiet"/>).</summary>
    public static async Task Rebuild(IDocumentStore store)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        foreach (var (projection, _) in Projections)
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(2), CancellationToken.None);
    }

    /// <summary>The projected documents as stored (<c>table/id</c> to JSON): every one, or those of one plan.</summary>
    public static async Task<Dictionary<string, string>> Read(string connectionString, Guid? planId = null)
    {
        var documents = new Dictionary<string, string>();
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (_, table) in Projections)
        {
            var ofThePlan = table == "mt_doc_plan" ? "id = @plan" : "data ->> 'planId' = @plan::text";
            await using var query = new Npgsql.NpgsqlCommand($"select id::text, data::text from safetyplan.{table}{(planId is null ? "" : " where " + ofThePlan)}", connection);
            if (planId is { } id) query.Parameters.AddWithValue("plan", id);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync()) documents[$"{table}/{reader.GetString(0)}"] = reader.GetString(1);
        }
        return documents;
    }

    /// <summary>Every document that is not in both or differs as JSON, with the paths that differ.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> projected, IReadOnlyDictionary<string, string> replayed) =>
        projected.Keys.Union(replayed.Keys)
            .Select(key => (key, Paths: Differences(projected.GetValueOrDefault(key), replayed.GetValueOrDefault(key))))
            .Where(d => d.Paths.Count > 0)
            .Select(d => $"{d.key}:" + string.Concat(d.Paths.Take(20).Select(p => "\n  " + p)) + (d.Paths.Count > 20 ? $"\n  ... {d.Paths.Count - 20} more" : ""))
            .ToList();

    /// <summary>Where two versions of one document differ: each differing JSON path with both values (property order aside).</summary>
    public static IReadOnlyList<string> Differences(string? projected, string? replayed)
    {
        var paths = new List<string>();
        if (projected is null || replayed is null)
        {
            if (projected != replayed) paths.Add($"projected {Clip(projected)}, replayed {Clip(replayed)}");
            return paths;
        }
        Differences("$", JsonNode.Parse(projected), JsonNode.Parse(replayed), paths);
        return paths;
    }

    private static void Differences(string path, JsonNode? projected, JsonNode? replayed, List<string> paths)
    {
        switch (projected, replayed)
        {
            case (JsonObject p, JsonObject r):
                foreach (var name in p.Select(x => x.Key).Union(r.Select(x => x.Key)))
                {
                    if (p.ContainsKey(name) && r.ContainsKey(name)) Differences($"{path}.{name}", p[name], r[name], paths);
                    else paths.Add($"{path}.{name}: projected {(p.ContainsKey(name) ? Json(p[name]) : "(absent)")}, replayed {(r.ContainsKey(name) ? Json(r[name]) : "(absent)")}");
                }
                break;
            case (JsonArray p, JsonArray r) when p.Count == r.Count:
                for (var i = 0; i < p.Count; i++) Differences($"{path}[{i}]", p[i], r[i], paths);
                break;
            default:
                if (!JsonNode.DeepEquals(projected, replayed)) paths.Add($"{path}: projected {Json(projected)}, replayed {Json(replayed)}");
                break;
        }
    }

    private static string Json(JsonNode? node) => Clip(node?.ToJsonString() ?? "null");

    private static string Clip(string? json) => json is null ? "(none)" : json.Length <= 300 ? json : json[..300] + "…";
}
