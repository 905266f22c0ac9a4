using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SafetyPlan.Hosting;

// SafetyPlan's benchmark: provisions its own PostgreSQL, starts the server as a separate process, measures, and prints
// one Markdown table plus bench-results.json. Side-by-side figures (1 and 2) alternate in the same process.
// `--quick` uses small sizes (CI keeps it working; its figures are not asserted).
var quick = args.Contains("--quick");
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(quick ? 3 : 15);
var folder = Path.Combine(Path.GetTempPath(), $"safetyplan-bench-{Guid.NewGuid():N}");
// `--only 1,2,8` runs just these (with what they need): for comparing one change quickly while profiling.
var only = args.SkipWhile(a => a != "--only").Skip(1).Select(a => a.Split(',').Select(int.Parse).ToHashSet()).FirstOrDefault();
bool Runs(params int[] numbers) => only is null || numbers.Any(only.Contains);
// `--national [plans]`: also seeds the national size (50,000 plans unless given) and measures there (National.cs); never part of --quick.
var national = args.Contains("--national")
    ? args.SkipWhile(a => a != "--national").Skip(1).Take(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).DefaultIfEmpty(50_000).First()
    : (int?)null;
var results = new List<Result>();
var total = Stopwatch.StartNew();

await using var postgres = await LocalPostgres.StartAsync(Path.Combine(folder, "postgres"));
var machine = await Machine.Describe(postgres.ConnectionString());
// `--document`: where a long plan's document bytes go (National.cs, DocumentParts), nothing else.
if (args.Contains("--document")) { DocumentParts.Print(postgres.ConnectionString()); return 0; }
Console.WriteLine($"SafetyPlan benchmark ({(quick ? "quick" : "full")}{(national is { } n ? $", national size {n:N0} plans" : "")}) on {machine}");
try
{
    await using var smtp = new LoopbackSmtp();
    smtp.Start();
    var server = await Server.Start(postgres.ConnectionString(), folder, smtpPort: smtp.Port);
    Console.WriteLine($"  server process {server.Process.Id} (dotnet-counters / dotnet-trace can attach to it)");
    try
    {
        var plans = await Scenario.PlansWithAgreements(server.Http, 16);
        var (ceiling, tpcb, throughput, peakRss) = await Measure.CeilingAndCheckIns(postgres.ConnectionString(), server, plans, clients: 16, seconds, rounds: quick ? 1 : 3);
        results.Add(ceiling);
        results.Add(tpcb);
        results.Add(throughput with
        {
            Ratio = throughput.Value / tpcb.Value, Met = throughput.Value / tpcb.Value >= 1.0,
            Note = $"{throughput.Note}; {throughput.Value / ceiling.Value:0.00}x the INSERT of 1",
        });
        results.Add(peakRss);
        Progress(results);
        if (Runs(3))
        {
            results.Add(await Measure.CheckInLatency(server.Http, plans, ratePerSecond: throughput.Value / 2, seconds, rounds: quick ? 1 : 3));
            Progress(results);
        }
        if (Runs(4))
        {
            results.Add(await Measure.NotKeptToEmail(server, smtp, samples: quick ? 10 : 50));
            Progress(results);
        }
        if (Runs(6))
        {
            results.Add(await Measure.Replay(server.Http, postgres.ConnectionString(), events: quick ? 500 : 10_000));
            Progress(results);
        }
        if (Runs(10))
        {
            var listed = (await server.Http.GetFromJsonAsync<JsonElement>("/api/plans")).GetArrayLength();
            results.Add(await National.Timed("10", $"plan list (GET /api/plans) of a professional monitoring {listed} plans with short histories", server.Http, "/api/plans", ""));
            Progress(results);
        }
    }
    finally
    {
        await server.Stop();
    }
    if (Runs(9))
    {
        results.Add(await Measure.StartToHealthy(postgres.ConnectionString(), folder));
        Progress(results);
        results.Add(await Measure.StartToHealthy(postgres.ConnectionString(), folder, published: await Publish.ReadyToRun(folder)));
        Progress(results);
    }
    if (Runs(5))
    {
        results.Add(await Measure.Sweep(await Machine.CreateDatabase(postgres.ConnectionString(), "bench_sweep"), folder,
            agreements: quick ? 2_000 : 100_000, due: quick ? 100 : 1_000));
        Progress(results);
        // Five hours of due plans (two more than 5, for the reminders of the hour after each round): 3,000 agreements in a quick run.
        results.Add(await Measure.Sweep(await Machine.CreateDatabase(postgres.ConnectionString(), "bench_sweep_reminders"), folder,
            agreements: quick ? 3_000 : 100_000, due: quick ? 100 : 1_000, reminders: true));
        Progress(results);
    }
    if (Runs(7))
    {
        results.Add(await Measure.Rebuild(await Machine.CreateDatabase(postgres.ConnectionString(), "bench_rebuild"), events: quick ? 20_000 : 1_000_000));
        Progress(results);
    }
    if (national is { } nationalPlans)
        results.AddRange(await National.Measure(postgres.ConnectionString(), folder, nationalPlans, seconds, rounds: quick ? 1 : 3));
}
finally
{
    await postgres.StopAsync();
    try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

var table = new System.Text.StringBuilder();
table.AppendLine($"SafetyPlan benchmark ({(quick ? "quick" : "full")}{(national is { } np ? $", national size {np:N0} plans" : "")}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {total.Elapsed.TotalSeconds:0} s, on {machine}");
table.AppendLine();
table.AppendLine("| # | measurement | figure | goal | met |");
table.AppendLine("|---|---|---|---|---|");
foreach (var r in results.OrderBy(r => r.Number.StartsWith('N') ? 0 : int.Parse(new string(r.Number.TakeWhile(char.IsDigit).ToArray()))).ThenBy(r => r.Number, StringComparer.Ordinal))
    table.AppendLine($"| {r.Number} | {r.Name} | {r.Figure} | {r.Goal} | {r.Verdict} |");
Console.WriteLine();
Console.Write(table);
await File.WriteAllTextAsync("bench-results.json", JsonSerializer.Serialize(new { machine, quick, at = DateTime.UtcNow, results }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"(also in {Path.GetFullPath("bench-results.json")})");
return 0;

static void Progress(List<Result> results) => Console.WriteLine($"  {results[^1].Number}: {results[^1].Figure}");

public sealed record Result(string Number, string Name, double Value, string Unit, string Goal, double? Ratio = null, double? P99 = null, bool? Met = null, string? Note = null)
{
    public string Figure => Unit switch
    {
        "ms" or "s" when P99 is { } p99 => $"p50 {Value:0.0} {Unit}, p99 {p99:0.0} {Unit}{(Range is { } r ? $" (runs' p99 {r.Min:0.0}-{r.Max:0.0})" : "")}",
        "ms" => $"p50 {Value:0.0} ms{(Range is { } r ? $" (runs' p50 {r.Min:0.0}-{r.Max:0.0})" : "")}",
        "s" => $"{Value:0.00} s{(Range is { } r ? $" (runs {r.Min:0.00}-{r.Max:0.00})" : "")}{(Note is null ? "" : $"; {Note}")}",
        _ => $"{Value:#,0.##} {Unit}{(Range is { } range ? $" (runs {range.Min:#,0}-{range.Max:#,0})" : "")}{(Ratio is { } ratio ? $" (ratio {ratio:0.00})" : "")}{(Note is null ? "" : $"; {Note}")}",
    };

    /// <summary>The lowest and highest figure of the single runs (rounds) this figure is the total of; null for one run.</summary>
    public (double Min, double Max)? Range { get; init; }

    public string Verdict => Met switch { true => "met", false => "not met", null => "" };
}

public static class Machine
{
    /// <summary>Cores, memory, CPU model, OS, .NET and PostgreSQL: every figure is printed with the machine it ran on.</summary>
    public static async Task<string> Describe(string connectionString)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("show server_version", connection);
        var postgres = await version.ExecuteScalarAsync();
        return $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, " +
               $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}, PostgreSQL {postgres}";
    }

    public static async Task<string> CreateDatabase(string connectionString, string name)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using (var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", connection)) await drop.ExecuteNonQueryAsync();
        await using (var create = new NpgsqlCommand($"create database {name}", connection)) await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }
}

public sealed class Server(Process process, HttpClient http)
{
    public HttpClient Http => http;

    public HttpClient As(string user, string roles)
    {
        var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromMinutes(10) }; // a sweep on a loaded machine can take minutes
        client.DefaultRequestHeaders.Add("X-User", user);
        client.DefaultRequestHeaders.Add("X-Roles", roles);
        return client;
    }
    public Process Process => process;

    /// <param name="directory">where the server's SafetyPlan.dll is: the benchmark's own output (as built) unless given (a publish)</param>
    public static async Task<Server> Start(string connectionString, string folder, bool seedDemo = false, int? smtpPort = null, DateTimeOffset? manualClock = null,
        string? directory = null)
    {
        directory ??= AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "SafetyPlan.dll");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.Environment["ConnectionStrings__Postgres"] = connectionString;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["App__BaseUrl"] = $"http://127.0.0.1:{port}";
        psi.Environment["Auth__Mode"] = "Development";
        psi.Environment["Demo__Seed"] = seedDemo ? "true" : "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        if (smtpPort is { } port25)
        {
            psi.Environment["Smtp__Host"] = "127.0.0.1";
            psi.Environment["Smtp__Port"] = port25.ToString();
            psi.Environment["Smtp__Security"] = "None"; // the loopback SMTP server offers no TLS
        }
        if (manualClock is { } clock)
        {
            psi.Environment["Clock__Mode"] = "Manual";
            psi.Environment["Clock__Start"] = clock.ToString("O");
            // The bench moves the clock and sweeps itself (POST /api/dev/clock); Hangfire's own sweep, every 15 s, would
            // race with it for the same due plans, and its share would be missing from the count the clock answers.
            psi.Environment["Scheduling__SweepCron"] = Hangfire.Cron.Never();
        }
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address };
        http.DefaultRequestHeaders.Add("X-User", "bench");
        http.DefaultRequestHeaders.Add("X-Roles", "professional");
        http.Timeout = TimeSpan.FromSeconds(60);
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
    /// <summary>A year after today on the system clock: an evaluation date within the contract's two years ahead.</summary>
    public static string EvaluationDue => DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The report window of every agreement the benchmark makes on the system clock: a day before the 15:00 occurrence,
    /// so that a check-in at whatever hour the benchmark runs is on the next occurrence (outside a window it would be 409
    /// for a new agreement, domain.md "Reports and their windows").
    /// </summary>
    public const string AlwaysOpen = "P1D";

    public static async Task<List<BenchPlan>> PlansWithAgreements(HttpClient http, int count)
    {
        var plans = new List<BenchPlan>();
        for (var i = 0; i < count; i++)
        {
            var plan = await Id(http, "/api/plans", new { title = $"Bench {i}", family = "F", monitorId = "bench" });
            var member = await Id(http, $"/api/plans/{plan}/members", new { name = "Oma", role = "network" });
            var agreement = await Id(http, $"/api/plans/{plan}/agreements", new { text = "Ophalen", responsibleMemberId = member, schedule = new { daily = "15:00" }, reportFrom = Scenario.AlwaysOpen });
            (await http.PostAsJsonAsync($"/api/plans/{plan}/agree", new { evaluationDue = Scenario.EvaluationDue })).EnsureSuccessStatusCode();
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
    /// <summary>
    /// 1, 1b and 2 side by side: the plain INSERT ceiling, pgbench's tpcb-like and the HTTP check-in load take turns in
    /// each round, on the same cluster for the same seconds, so that a noisy machine moves all three.
    /// </summary>
    public static async Task<(Result Ceiling, Result TpcB, Result CheckIns, Result PeakRss)> CeilingAndCheckIns(
        string connectionString, Server server, List<BenchPlan> plans, int clients, int seconds, int rounds)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("create table if not exists bench_ceiling (id bigserial primary key, data jsonb not null)", setup);
            await create.ExecuteNonQueryAsync();
        }
        var tpcbDatabase = await Machine.CreateDatabase(connectionString, "bench_tpcb");
        var initialised = await PgBench.Initialise(tpcbDatabase, scale: Math.Max(clients, 16));
        long rows = 0, checkIns = 0, tpcbTransactions = 0;
        double peak = 0, cpu = 0;
        var (rowRuns, tpcbRuns, checkInRuns, rssRuns) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var slice = TimeSpan.FromSeconds(Math.Max(1, seconds / rounds));
        for (var round = 0; round < rounds; round++)
        {
            var inserted = await InsertCeiling(connectionString, clients, slice);
            rows += inserted;
            rowRuns.Add(inserted / slice.TotalSeconds);
            var transactions = await PgBench.TpcB(tpcbDatabase, clients, slice);
            tpcbTransactions += transactions;
            tpcbRuns.Add(transactions / slice.TotalSeconds);
            server.Process.Refresh();
            var cpuBefore = server.Process.TotalProcessorTime;
            var (n, rss) = await CheckIns(server, plans, clients, slice);
            server.Process.Refresh();
            cpu += (server.Process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            checkIns += n;
            checkInRuns.Add(n / slice.TotalSeconds);
            peak = Math.Max(peak, rss);
            rssRuns.Add(rss);
        }
        static (double, double)? Range(List<double> runs) => runs.Count > 1 ? (runs.Min(), runs.Max()) : null;
        var measured = slice.TotalSeconds * rounds;
        return (new Result("1", $"ceiling: plain Npgsql INSERT, one JSON row per transaction, {clients} clients", rows / measured, "rows/s", "a reference") { Range = Range(rowRuns) },
                new Result("1b", $"pgbench tpcb-like (scale {initialised.Scale}, {clients} clients, {initialised.Threads} threads): one read, three updates, one insert, one commit",
                    tpcbTransactions / measured, "transactions/s", "the reference") { Range = Range(tpcbRuns) },
                new Result("2", $"check-in over HTTP through the whole stack, {clients} clients", checkIns / measured, "check-ins/s", "ratio to 1b >= 1.0",
                    Note: $"server CPU {cpu / Math.Max(1, checkIns):0.00} ms per check-in") { Range = Range(checkInRuns) },
                new Result("8", "server peak memory (RSS) during 2", peak, "MB", "<= 250 MB", Met: peak <= 250) { Range = Range(rssRuns) });
    }

    private static async Task<long> InsertCeiling(string connectionString, int clients, TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
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
        return counts.Sum();
    }

    private static async Task<(long, double PeakRssMb)> CheckIns(Server server, List<BenchPlan> plans, int clients, TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
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
        return (counts.Sum(), peak);
    }

    /// <summary>4: a not-kept check-in crosses an any-breach bottom line; the clock is the system's; the time until the mail server accepted the escalation's e-mail.</summary>
    public static async Task<Result> NotKeptToEmail(Server server, LoopbackSmtp smtp, int samples)
    {
        var admin = server.As("bench-admin", "admin");
        var cases = new List<(string Email, HttpClient Monitor, BenchPlan Plan)>();
        for (var i = 0; i < samples; i++)
        {
            var monitor = $"bench-monitor-{Guid.NewGuid():N}";
            var email = $"{monitor}@jeugdzorg.test";
            (await admin.PutAsync($"/api/users/{monitor}", JsonContent.Create(new { name = "Monitor", email, language = "nl", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
            var client = server.As(monitor, "professional");
            var plan = await Scenario.Id(client, "/api/plans", new { title = $"Mail {i}", family = "F", monitorId = monitor });
            var member = await Scenario.Id(client, $"/api/plans/{plan}/members", new { name = "Oma", role = "network" });
            var agreement = await Scenario.Id(client, $"/api/plans/{plan}/agreements", new { text = "Ophalen", responsibleMemberId = member, schedule = new { daily = "15:00" }, reportFrom = Scenario.AlwaysOpen });
            await Scenario.Id(client, $"/api/plans/{plan}/bottom-lines", new { text = "Niet opgehaald", rule = new { kind = "any-breach", agreementId = agreement }, acknowledgeWithin = "PT2H" });
            (await client.PostAsJsonAsync($"/api/plans/{plan}/agree", new { evaluationDue = Scenario.EvaluationDue })).EnsureSuccessStatusCode();
            cases.Add((email, client, new BenchPlan(plan, member, agreement)));
        }
        var latencies = new List<double>();
        foreach (var (email, client, plan) in cases)
        {
            var start = Stopwatch.GetTimestamp();
            (await client.PostAsJsonAsync($"/api/plans/{plan.PlanId}/check-ins",
                new { clientId = Guid.NewGuid().ToString("N"), agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "not-kept" })).EnsureSuccessStatusCode();
            var accepted = await smtp.AcceptedFor(email).WaitAsync(TimeSpan.FromSeconds(60));
            latencies.Add(Stopwatch.GetElapsedTime(start, accepted).TotalMilliseconds);
        }
        var sorted = latencies.Order().ToArray();
        var p99 = Percentile(sorted, 0.99);
        return new Result("4", $"not-kept check-in to the escalation e-mail accepted by a loopback SMTP server, system clock ({samples} check-ins)",
            Percentile(sorted, 0.5), "ms", "p99 <= 2 s", P99: p99, Met: p99 <= 2000);
    }

    /// <summary>
    /// 5: one sweep (run by the manual clock's move, which answers when it is done) over many active agreements of which
    /// some are due, in three rounds an hour apart that each find <paramref name="due"/> due: the median and the range.
    /// 5r: the same with reminders on: each sweep also reminds the next hour's <paramref name="due"/> members (the first
    /// two hours' at once), and the manual clock delivers them before it answers (e-mail is not configured, push not
    /// subscribed: both skipped).
    /// </summary>
    public static async Task<Result> Sweep(string connectionString, string folder, int agreements, int due, int rounds = 3, bool reminders = false)
    {
        // The sweep runs every 15 seconds, so the measured one is not the server's first: a sweep an hour earlier finds a few
        // plans due, which compiles the sweep's code paths as the previous minutes' sweeps would have.
        const int warmUp = 20;
        await using (var seeding = await Seeding.Open(connectionString))
            await seeding.ActivePlans(agreements, due, warmUp, rounds, reminders);
        var server = await Server.Start(connectionString, folder, manualClock: Seeding.Start);
        try
        {
            await Seeding.AsyncProjectionsCaughtUp(connectionString);
            var clock = server.As("bench-clock", "admin");
            var cold = Stopwatch.StartNew();
            (await clock.PostAsJsonAsync("/api/dev/clock", new { now = Seeding.At(15.5) })).EnsureSuccessStatusCode();
            var first = cold.Elapsed.TotalSeconds;
            var sweeps = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                (await clock.PostAsJsonAsync("/api/dev/clock", new { now = Seeding.At(16.5 + round) })).EnsureSuccessStatusCode();
                sweeps.Add(watch.Elapsed.TotalSeconds);
            }
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("select count(*) from safetyplan.mt_events where type = 'check_in_missed'", connection);
            var missed = (long)(await count.ExecuteScalarAsync())!;
            if (missed != due * rounds + warmUp) throw new InvalidOperationException($"The sweeps recorded {missed} missed check-ins; {rounds} x {due} + {warmUp} were due.");
            var median = Median(sweeps);
            if (reminders)
            {
                await using var outcomes = new NpgsqlCommand("select count(*) filter (where type = 'notification_queued'), count(*) filter (where type in " +
                    "('notification_sent', 'notification_skipped', 'notification_failed', 'notification_abandoned')), count(distinct xmin::text) filter (where type in " +
                    "('notification_sent', 'notification_skipped', 'notification_failed', 'notification_abandoned')) from safetyplan.mt_events", connection);
                await using var reader = await outcomes.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (queued, recorded, appends) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                return new Result("5r", $"one deadline sweep as 5, reminders on: each also reminds {due:N0} members (e-mail and push, both skipped) and delivers before the clock answers, median of {rounds} (first sweep: {first:0.00} s)",
                    median, "s", "", Note: $"{queued:N0} deliveries queued, {recorded:N0} outcomes recorded in {appends:N0} appends") { Range = (sweeps.Min(), sweeps.Max()) };
            }
            return new Result("5", $"one deadline sweep, {agreements:N0} active agreements of which {due:N0} due, median of {rounds} (the server's first sweep, {warmUp} due: {first:0.00} s)", median, "s", "<= 0.3 s (100,000 / 1,000)",
                Met: agreements >= 100_000 ? median <= 0.3 : null) { Range = (sweeps.Min(), sweeps.Max()) };
        }
        finally
        {
            await server.Stop();
        }
    }

    /// <summary>
    /// 7: every projection (plan snapshots, escalation inbox, notification inbox) rebuilt from the whole event store,
    /// <paramref name="rounds"/> times over the same events: the median rate and the range.
    /// </summary>
    public static async Task<Result> Rebuild(string connectionString, int events, int rounds = 3)
    {
        await using var seeding = await Seeding.Open(connectionString);
        await seeding.Histories(events);
        var stored = await seeding.Store.Advanced.FetchEventStoreStatistics();
        using var daemon = await seeding.Store.BuildProjectionDaemonAsync();
        Console.WriteLine($"  7: {stored.EventCount:N0} events seeded; rebuilding in this process ({Environment.ProcessId}: dotnet-trace can attach to it)");
        var rates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var name in new[] { "Plan", "EscalationView", "InboxItem" })
                await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(10), CancellationToken.None);
            rates.Add(stored.EventCount / watch.Elapsed.TotalSeconds);
        }
        var rate = Median(rates);
        return new Result("7", $"rebuilding every projection from {stored.EventCount:N0} events, median of {rounds}", rate, "events/s", ">= 100,000 events/s (1,000,000 events)",
            Met: events >= 1_000_000 ? rate >= 100_000 : null) { Range = (rates.Min(), rates.Max()) };
    }

    /// <summary>
    /// 3: check-ins at a steady <paramref name="ratePerSecond"/> for <paramref name="seconds"/>, <paramref name="rounds"/>
    /// times: the p50 and p99 of all, and the range of each run's p99.
    /// </summary>
    public static async Task<Result> CheckInLatency(HttpClient http, List<BenchPlan> plans, double ratePerSecond, int seconds, int rounds = 1)
    {
        var all = new List<double>();
        var p99s = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var run = await SteadyCheckIns(http, plans, ratePerSecond, seconds);
            p99s.Add(Percentile(run, 0.99));
            all.AddRange(run);
        }
        var latencies = all.Order().ToArray();
        var p99 = Percentile(latencies, 0.99);
        return new Result("3", $"check-in latency at half of the throughput of 2 ({ratePerSecond:0}/s{(rounds > 1 ? $", {rounds} runs of {seconds} s" : "")})", Percentile(latencies, 0.5), "ms", "p99 <= 10 ms",
            P99: p99, Met: p99 <= 10) { Range = rounds > 1 ? (p99s.Min(), p99s.Max()) : null };
    }

    /// <summary>Each check-in's latency in ms, sorted, of <paramref name="ratePerSecond"/> check-ins a second started on time for <paramref name="seconds"/>.</summary>
    private static async Task<double[]> SteadyCheckIns(HttpClient http, List<BenchPlan> plans, double ratePerSecond, int seconds)
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
        return (await Task.WhenAll(tasks)).Order().ToArray();
    }

    /// <summary>
    /// 6: the plan as it stood at its last version, replayed from its events (a long history, written straight into the
    /// store): three runs of 20 requests after three to warm up; the p50 of all and the range of each run's p50.
    /// </summary>
    public static async Task<Result> Replay(HttpClient http, string connectionString, int events, int rounds = 3)
    {
        Guid planId;
        await using (var seeding = await Seeding.Open(connectionString))
            planId = await seeding.OnePlan(events);
        await Seeding.AsyncProjectionsCaughtUp(connectionString);
        var plan = new BenchPlan(planId, Guid.Empty, Guid.Empty);
        var version = events;
        for (var i = 0; i < 3; i++) await http.GetAsync($"/api/plans/{plan.PlanId}?version={version}"); // warm
        var timings = new List<double>();
        var p50s = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var run = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var start = Stopwatch.GetTimestamp();
                (await http.GetAsync($"/api/plans/{plan.PlanId}?version={version}")).EnsureSuccessStatusCode();
                run.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            p50s.Add(Percentile(run.Order().ToArray(), 0.5));
            timings.AddRange(run);
        }
        var p50 = Percentile(timings.Order().ToArray(), 0.5);
        return new Result("6", $"plan status ?version= replay on a plan with {events:N0} events, warm", p50, "ms", "p50 <= 10 ms (10,000 events)",
            Met: events >= 10_000 ? p50 <= 10 : null) { Range = (p50s.Min(), p50s.Max()) };
    }

    /// <summary>
    /// 9: from starting the server's process to its first GET /health 200, on a database that already has its schema,
    /// <paramref name="rounds"/> times (each a new process): the median and the range.
    /// </summary>
    /// <param name="published">a publish of the server to start instead of the benchmark's own build (<see cref="Publish.ReadyToRun"/>): row 9b</param>
    public static async Task<Result> StartToHealthy(string connectionString, string folder, int rounds = 3, string? published = null)
    {
        var starts = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            var server = await Server.Start(connectionString, folder, directory: published);
            starts.Add(watch.Elapsed.TotalSeconds);
            await server.Stop();
        }
        var median = Median(starts);
        return new Result(published is null ? "9" : "9b",
                $"server start to GET /health 200 on an existing database, median of {rounds}{(published is null ? " (as built: JIT)" : " (published ReadyToRun, as the Dockerfile does)")}",
                median, "s", "<= 1.5 s", Met: median <= 1.5)
            { Range = (starts.Min(), starts.Max()) };
    }

    private static double Median(List<double> values) => Percentile(values.Order().ToArray(), 0.5);

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>The server published as a deployment publishes it (Dockerfile): for row 9b.</summary>
public static class Publish
{
    /// <summary>
    /// <c>dotnet publish</c> of the server in Release with ReadyToRun for this machine's architecture (framework-dependent,
    /// as the Dockerfile does) into <paramref name="folder"/>/published; returns that directory. Throws when the publish
    /// fails, with its output.
    /// </summary>
    public static async Task<string> ReadyToRun(string folder)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SafetyPlan.slnx"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("The benchmark runs from a checkout: no SafetyPlan.slnx above " + AppContext.BaseDirectory);
        var output = Path.Combine(folder, "published");
        var rid = $"linux-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "publish", "src/SafetyPlan", "-c", "Release", "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "--nologo" })
            psi.ArgumentList.Add(arg);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish (ReadyToRun) failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        Console.WriteLine($"  published the server ReadyToRun ({rid}) in {watch.Elapsed.TotalSeconds:0} s");
        return output;
    }
}
