using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Hosting;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>PostgreSQL restarts under load: clients see retriable answers, never a lost or doubled write, and the server recovers by itself.</summary>
public sealed class when_the_database_restarts : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"safetyplan-restart-{Guid.NewGuid():N}");
    private LocalPostgres _postgres = null!;

    public async Task InitializeAsync() => _postgres = await LocalPostgres.StartAsync(Path.Combine(_folder, "postgres"));

    public async Task DisposeAsync()
    {
        await _postgres.StopAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task reports_during_a_restart_are_answered_retriably_and_land_exactly_once()
    {
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = _postgres.ConnectionString(), ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
        });
        await node.Start(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(1)));
        var professional = node.As("anna", "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Herstart", family = "F", monitorId = "anna" })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "20:00" } })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        var stop = DateTime.UtcNow.AddSeconds(8);
        var clients = Enumerable.Range(0, 6).Select(c => Task.Run(async () =>
        {
            var client = node.As("oma", $"member:{member}");
            client.Timeout = TimeSpan.FromSeconds(10);
            for (var i = 0; DateTime.UtcNow < stop; i++)
            {
                var clientId = $"c{c}-{i}";
                // a phone retries with the same clientId until it hears an answer
                for (var attempt = 0; attempt < 100; attempt++)
                {
                    try
                    {
                        var response = await client.PostAsJsonAsync($"/api/plans/{plan}/ratings", new { clientId, memberId = member, score = 5 });
                        statuses.Add((int)response.StatusCode);
                        if (response.IsSuccessStatusCode) { acknowledged.Add(clientId); break; }
                    }
                    catch (HttpRequestException) { statuses.Add(0); }
                    catch (TaskCanceledException) { statuses.Add(0); }
                    await Task.Delay(200);
                }
            }
        })).ToList();

        await Task.Delay(2000);
        await _postgres.RestartAsync();
        var restarted = DateTime.UtcNow;
        await Task.WhenAll(clients);

        // The server is healthy again by itself, within seconds.
        using var health = new HttpClient { BaseAddress = node.Address };
        while ((await health.GetAsync("/health")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow - restarted < TimeSpan.FromSeconds(30))
            await Task.Delay(200);
        (DateTime.UtcNow - restarted).ShouldBeLessThan(TimeSpan.FromSeconds(10));

        statuses.ShouldAllBe(s => s == 201 || s == 200 || s == 503 || s == 0); // success, or "try again" (0: no answer at all)
        Console.WriteLine("answers during the restart: " + string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        acknowledged.Count.ShouldBeGreaterThan(10);
        var stored = new List<string>();
        await using (var connection = new Npgsql.NpgsqlConnection(_postgres.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var query = new Npgsql.NpgsqlCommand("select data ->> 'clientId' from safetyplan.mt_events where stream_id = @id and type = 'safety_rated'", connection);
            query.Parameters.AddWithValue("id", plan);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        }
        stored.Order().ShouldBe(acknowledged.Order()); // every acknowledged report, exactly once, and nothing else

        // After the restart the write path and its projections work again: a new report shows in the plan at once.
        var after = await node.As("oma", $"member:{member}").PostAsJsonAsync($"/api/plans/{plan}/ratings", new { clientId = "after-restart", memberId = member, score = 9 });
        after.IsSuccessStatusCode.ShouldBeTrue();
        var status = await (await professional.GetAsync($"/api/plans/{plan}")).Json();
        status.GetProperty("ratings").GetArrayLength().ShouldBe(acknowledged.Count + 1);

        // No gap in the projections: what was projected through the restart equals a fresh replay of the events.
        await node.Kill();
        var replay = await ProjectionReplay.Compare(_postgres.ConnectionString());
        replay.Documents.ShouldBeGreaterThan(0);
        replay.Differences.ShouldBeEmpty();
    }
}
