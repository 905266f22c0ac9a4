using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SafetyPlan.Hosting;

// SafetyPlan's benchmark: provisions its own PostgreSQL, starts the server as a separate process, measures, and prints
// one Markdown table plus bench-results.json. Side-by-side figures run in the same process on the same database.
// `--quick` uses small sizes (CI keeps it working; its figures are not asserted).
var quick = args.Contains("--quick");
var seconds = quick ? 3 : 15;
var folder = Path.Combine(Path.GetTempPath(), $"safetyplan-bench-{Guid.NewGuid():N}");
var results = new List<Result>();
var machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";

await using var postgres = await LocalPostgres.StartAsync(Path.Combine(folder, "postgres"));
try
{
    results.Add(await Measure.InsertCeiling(postgres.ConnectionString(), clients: 16, seconds));

    var server = await Server.Start(postgres.ConnectionString(), folder);
    try
    {
        var plans = await Scenario.PlansWithAgreements(server.Http, 16);
        var (throughput, peakRss) = await Measure.CheckInThroughput(server, plans, clients: 16, seconds);
        results.Add(throughput with { Ratio = throughput.Value / results[0].Value });
        results.Add(await Measure.CheckInLatency(server.Http, plans, ratePerSecond: throughput.Value / 2, seconds));
        results.Add(await Measure.Replay(server.Http, (await Scenario.PlansWithAgreements(server.Http, 1))[0], events: quick ? 1_000 : 10_000));
        results.Add(new Result(8, "server peak memory (RSS) during the check-in load", peakRss, "MB", "<= 300 MB"));
    }
    finally
    {
        await server.Stop();
    }
    results.Add(await Measure.StartToHealthy(postgres.ConnectionString(), folder));
}
finally
{
    await postgres.StopAsync();
    try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
}

Console.WriteLine($"SafetyPlan benchmark ({(quick ? "quick" : "full")}) on {machine}");
Console.WriteLine();
Console.WriteLine("| # | measurement | figure | goal |");
Console.WriteLine("|---|---|---|---|");
foreach (var r in results.OrderBy(r => r.Number))
    Console.WriteLine($"| {r.Number} | {r.Name} | {r.Figure} | {r.Goal} |");
Console.WriteLine();
Console.WriteLine("Not measured yet: 4 (not-kept to e-mail), 5 (sweep over 100,000 agreements), 7 (rebuild from 1,000,000 events).");
await File.WriteAllTextAsync("bench-results.json", JsonSerializer.Serialize(new { machine, quick, results }, new JsonSerializerOptions { WriteIndented = true }));
return 0;

public sealed record Result(int Number, string Name, double Value, string Unit, string Goal, double? Ratio = null, double? P99 = null)
{
    public string Figure => Unit switch
    {
        "ms" when P99 is { } p99 => $"p50 {Value:0.0} ms, p99 {p99:0.0} ms",
        _ => $"{Value:0.#} {Unit}{(Ratio is { } ratio ? $" (ratio {ratio:0.00})" : "")}",
    };
}

public sealed class Server(Process process, HttpClient http)
{
    public HttpClient Http => http;
    public Process Process => process;

    public static async Task<Server> Start(string connectionString, string folder, bool seedDemo = false)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "SafetyPlan.dll");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.Environment["ConnectionStrings__Postgres"] = connectionString;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["Demo__Seed"] = seedDemo ? "true" : "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address };
        http.DefaultRequestHeaders.Add("X-User", "bench");
        http.DefaultRequestHeaders.Add("X-Roles", "professional");
        var until = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < until)
        {
            try { if ((await http.GetAsync("/health")).IsSuccessStatusCode) return new Server(process, http); }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("The server did not become healthy.");
    }

    public async Task Stop()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

public sealed record BenchPlan(Guid PlanId, Guid MemberId, Guid AgreementId);

public static class Scenario
{
    public static async Task<List<BenchPlan>> PlansWithAgreements(HttpClient http, int count)
    {
        var plans = new List<BenchPlan>();
        for (var i = 0; i < count; i++)
        {
            var plan = await Id(http, "/api/plans", new { title = $"Bench {i}", family = "F", monitorId = "bench" });
            var member = await Id(http, $"/api/plans/{plan}/members", new { name = "Oma", role = "network" });
            var agreement = await Id(http, $"/api/plans/{plan}/agreements", new { text = "Ophalen", responsibleMemberId = member, schedule = new { daily = "15:00" } });
            (await http.PostAsJsonAsync($"/api/plans/{plan}/agree", new { evaluationDue = "2099-01-01" })).EnsureSuccessStatusCode();
            plans.Add(new BenchPlan(plan, member, agreement));
        }
        return plans;
    }

    public static async Task<Guid> Id(HttpClient http, string url, object body)
    {
        var response = await http.PostAsJsonAsync(url, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> CheckIn(HttpClient http, BenchPlan plan) =>
        http.PostAsJsonAsync($"/api/plans/{plan.PlanId}/check-ins",
            new { clientId = Guid.NewGuid().ToString("N"), agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "kept" });
}

public static class Measure
{
    public static async Task<Result> InsertCeiling(string connectionString, int clients, int seconds)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("create table if not exists bench_ceiling (id bigserial primary key, data jsonb not null)", setup);
            await create.ExecuteNonQueryAsync();
        }
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var n = 0;
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            while (DateTime.UtcNow < until)
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using var insert = new NpgsqlCommand("insert into bench_ceiling (data) values (@d::jsonb)", connection, tx);
                insert.Parameters.AddWithValue("d", "{\"outcome\":\"kept\",\"note\":null}");
                await insert.ExecuteNonQueryAsync();
                await tx.CommitAsync();
                n++;
            }
            return n;
        }));
        return new Result(1, "ceiling: plain Npgsql INSERT, one JSON row per transaction, 16 clients", counts.Sum() / (double)seconds, "rows/s", "the reference");
    }

    public static async Task<(Result, double PeakRssMb)> CheckInThroughput(Server server, List<BenchPlan> plans, int clients, int seconds)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        double peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                server.Process.Refresh();
                peak = Math.Max(peak, server.Process.WorkingSet64 / 1048576.0);
                await Task.Delay(100);
            }
        });
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var n = 0;
            while (DateTime.UtcNow < until)
            {
                (await Scenario.CheckIn(server.Http, plans[c % plans.Count])).EnsureSuccessStatusCode();
                n++;
            }
            return n;
        }));
        sampling.Cancel();
        await sampler;
        return (new Result(2, "check-in over HTTP through the whole stack, 16 clients", counts.Sum() / (double)seconds, "check-ins/s", "ratio to 1 >= 0.5"), peak);
    }

    public static async Task<Result> CheckInLatency(HttpClient http, List<BenchPlan> plans, double ratePerSecond, int seconds)
    {
        var total = (int)(ratePerSecond * seconds);
        var interval = TimeSpan.FromSeconds(1 / Math.Max(ratePerSecond, 1));
        var watch = Stopwatch.StartNew();
        var tasks = new List<Task<double>>();
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (watch.Elapsed < due) await Task.Delay(due - watch.Elapsed);
            var plan = plans[i % plans.Count];
            tasks.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                (await Scenario.CheckIn(http, plan)).EnsureSuccessStatusCode();
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }));
        }
        var latencies = (await Task.WhenAll(tasks)).Order().ToArray();
        return new Result(3, $"check-in latency at half of the throughput of 2 ({ratePerSecond:0}/s)", Percentile(latencies, 0.5), "ms", "p99 <= 20 ms", P99: Percentile(latencies, 0.99));
    }

    public static async Task<Result> Replay(HttpClient http, BenchPlan plan, int events)
    {
        var batches = Enumerable.Range(0, events / 2).Chunk(16);
        foreach (var batch in batches)
            await Task.WhenAll(batch.Select(_ => http.PostAsJsonAsync($"/api/plans/{plan.PlanId}/ratings", new { clientId = Guid.NewGuid().ToString("N"), memberId = plan.MemberId, score = 5 })));
        var version = events / 2;
        for (var i = 0; i < 3; i++) await http.GetAsync($"/api/plans/{plan.PlanId}?version={version}"); // warm
        var timings = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            (await http.GetAsync($"/api/plans/{plan.PlanId}?version={version}")).EnsureSuccessStatusCode();
            timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return new Result(6, $"plan status ?version= replay on a plan with {events / 2:N0} events, warm", Percentile(timings.Order().ToArray(), 0.5), "ms", "p50 <= 20 ms (10,000 events)");
    }

    public static async Task<Result> StartToHealthy(string connectionString, string folder)
    {
        var watch = Stopwatch.StartNew();
        var server = await Server.Start(connectionString, folder);
        var elapsed = watch.Elapsed.TotalSeconds;
        await server.Stop();
        return new Result(9, "server start to GET /health 200 on an existing database", elapsed, "s", "<= 5 s");
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
