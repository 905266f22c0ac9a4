using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

/// <summary>
/// PostgreSQL's own benchmark, pgbench, with its built-in <c>tpcb-like</c> script (per transaction: one SELECT, three
/// UPDATEs, one INSERT, one durable commit): the transaction a database engineer quotes, as the reference for a
/// check-in (measurement 1b). It ships with the server binaries the benchmark already runs PostgreSQL from.
/// </summary>
public static partial class PgBench
{
    /// <summary>The scale and pgbench threads used.</summary>
    public sealed record Setup(int Scale, int Threads);

    /// <summary>
    /// <c>pgbench -i -s scale</c> into <paramref name="connectionString"/>'s database (scale x 100,000 accounts; scale
    /// at least the number of clients, as pgbench's documentation asks, so that clients do not all update one branch row).
    /// </summary>
    public static async Task<Setup> Initialise(string connectionString, int scale)
    {
        await Run(connectionString, ["-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(10));
        return new Setup(scale, Threads);
    }

    /// <summary>
    /// Runs <c>tpcb-like</c> with <paramref name="clients"/> connections for <paramref name="duration"/> (whole seconds,
    /// at least 1) and returns the transactions processed. Throws when pgbench fails or reports failed transactions.
    /// </summary>
    public static async Task<long> TpcB(string connectionString, int clients, TimeSpan duration)
    {
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var output = await Run(connectionString,
            ["-n", "-b", "tpcb-like", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Threads.ToString(CultureInfo.InvariantCulture), "-T", seconds.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(seconds + 120));
        var processed = ProcessedLine().Match(output);
        if (!processed.Success) throw new InvalidOperationException($"pgbench printed no transaction count:\n{output}");
        if (FailedLine().Match(output) is { Success: true } failed && failed.Groups[1].Value != "0")
            throw new InvalidOperationException($"pgbench reported failed transactions:\n{output}");
        return long.Parse(processed.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static int Threads => Math.Max(1, Environment.ProcessorCount);

    private static async Task<string> Run(string connectionString, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var executable = Executable();
        var psi = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username! }.Concat(arguments).Append(builder.Database!))
            psi.ArgumentList.Add(argument);
        psi.Environment["PGPASSWORD"] = builder.Password ?? "";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{executable} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cancel.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"pgbench {string.Join(' ', arguments)} took longer than {timeout}"); }
        var output = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        return output;
    }

    /// <summary>pgbench beside the PostgreSQL server binaries (SAFETYPLAN_PG_BIN, else the newest /usr/lib/postgresql/*/bin), else on the PATH.</summary>
    private static string Executable()
    {
        var configured = Environment.GetEnvironmentVariable("SAFETYPLAN_PG_BIN");
        var candidates = (configured is null ? [] : new[] { configured })
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.Select(d => Path.Combine(d, "pgbench")).FirstOrDefault(File.Exists) ?? "pgbench";
    }

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex FailedLine();
}
