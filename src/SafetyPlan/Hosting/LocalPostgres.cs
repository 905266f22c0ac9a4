using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SafetyPlan.Hosting;

/// <summary>
/// A private PostgreSQL cluster run from the machine's own server binaries, so that SafetyPlan and its tests
/// work on a fresh machine with no database configured. Loopback only, no Unix socket, and a password (SCRAM): generated
/// when the cluster is created and kept beside it, readable by its owner only (<c>.data/postgres.password</c> for
/// <c>.data/postgres</c>), so that another user of the machine cannot log in. A cluster made before it had a password
/// (trust) gets one at its next start. Never for production.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string DatabaseName = "safetyplan";

    private readonly string _binDirectory;
    private readonly bool _startedHere;

    private string _password = "";

    private LocalPostgres(string dataDirectory, string binDirectory, int port, bool startedHere)
    {
        DataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        Port = port;
        _startedHere = startedHere;
    }

    public string DataDirectory { get; }
    public int Port { get; }

    public string ConnectionString(string database = DatabaseName) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = _password,
        Database = database,
        MaxPoolSize = 100,
    }.ConnectionString;

    /// <summary>Creates the cluster if needed, starts it (or reuses one still running from an earlier run) and creates the database.</summary>
    public static async Task<LocalPostgres> StartAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var bin = FindBinaries() ?? throw new LocalPostgresUnavailableException(
            "SafetyPlan found no PostgreSQL server binaries (initdb, pg_ctl) on this machine, and no database is configured. " +
            "Either install them (Debian/Ubuntu: 'apt-get install postgresql'), or use a PostgreSQL server you have and set " +
            "ConnectionStrings__Postgres='Host=localhost;Port=5432;Username=...;Password=...;Database=safetyplan' together with " +
            $"Auth__Mode=Development and App__BaseUrl={AppAddress.KestrelDefault} (see README.md).");

        var runAsPostgres = Environment.IsPrivilegedProcess;
        Directory.CreateDirectory(dataDirectory);
        if (runAsPostgres)
            await RunAsync("chown", ["-R", "postgres:postgres", dataDirectory], asPostgres: false, cancellationToken);

        var passwordFile = PasswordFile(dataDirectory);
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            var password = WritePassword(passwordFile);
            // initdb reads the password from a file (never the command line); as the postgres user when run as root.
            var initialPassword = Path.GetTempFileName();
            try
            {
                await File.WriteAllTextAsync(initialPassword, password, cancellationToken);
                if (runAsPostgres) await RunAsync("chown", ["postgres", initialPassword], asPostgres: false, cancellationToken);
                await RunAsync(Path.Combine(bin, "initdb"),
                    ["-D", dataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={initialPassword}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                    runAsPostgres, cancellationToken);
            }
            finally
            {
                File.Delete(initialPassword);
            }
        }

        var runningPort = PortOfRunningServer(dataDirectory);
        LocalPostgres server;
        if (runningPort is { } port)
        {
            server = new LocalPostgres(dataDirectory, bin, port, startedHere: false);
        }
        else
        {
            port = FreeLoopbackPort();
            await RunAsync(Path.Combine(bin, "pg_ctl"),
                ["-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60",
                 "-o", ServerOptions(port),
                 "start"],
                runAsPostgres, cancellationToken);
            server = new LocalPostgres(dataDirectory, bin, port, startedHere: true);
        }

        server._password = File.Exists(passwordFile) ? (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim() : "";
        if (server._password.Length == 0) await server.SetPasswordAsync(passwordFile, cancellationToken);
        await server.EnsureDatabaseAsync(cancellationToken);
        return server;
    }

    /// <summary>Where the password of the cluster in <paramref name="dataDirectory"/> is kept: beside it (the data directory belongs to PostgreSQL).</summary>
    public static string PasswordFile(string dataDirectory) => Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar) + ".password";

    private static string WritePassword(string passwordFile)
    {
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(passwordFile, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(passwordFile, password);
        return password;
    }

    // A cluster created with trust authentication (before it had a password): set one, then require it.
    private async Task SetPasswordAsync(string passwordFile, CancellationToken cancellationToken)
    {
        var password = WritePassword(passwordFile);
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync(cancellationToken);
            await using (var alter = new NpgsqlCommand($"alter role postgres password '{password}'", connection)) await alter.ExecuteNonQueryAsync(cancellationToken);
            var hba = Path.Combine(DataDirectory, "pg_hba.conf");
            var lines = (await File.ReadAllLinesAsync(hba, cancellationToken))
                .Select(line => line.TrimStart().StartsWith('#') ? line : System.Text.RegularExpressions.Regex.Replace(line, @"\btrust\b", "scram-sha-256"));
            await File.WriteAllLinesAsync(hba, lines, cancellationToken);
            await using var reload = new NpgsqlCommand("select pg_reload_conf()", connection);
            await reload.ExecuteNonQueryAsync(cancellationToken);
        }
        NpgsqlConnection.ClearAllPools();
        _password = password;
    }

    /// <summary>Restarts the server on the same port (fault tests: the database goes away under load and comes back).</summary>
    public async Task RestartAsync()
    {
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-m", "fast", "-w", "-t", "60",
             "-o", ServerOptions(Port),
             "restart"],
            Environment.IsPrivilegedProcess, CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (!_startedHere) return;
        try
        {
            await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"],
                Environment.IsPrivilegedProcess, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (for example by the operating system at shutdown).
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    internal static string? FindBinaries()
    {
        static bool HasServer(string? dir) =>
            dir is not null && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        var configured = Environment.GetEnvironmentVariable("SAFETYPLAN_PG_BIN");
        if (HasServer(configured)) return configured;

        try
        {
            var psi = new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(psi);
            var dir = process?.StandardOutput.ReadToEnd().Trim();
            process?.WaitForExit();
            if (HasServer(dir)) return dir;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not installed; fall through to the Debian layout.
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot)) return null;
        return Directory.GetDirectories(debianRoot)
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Bin)
            .FirstOrDefault(HasServer);
    }

    private static int? PortOfRunningServer(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return null;
        }
        catch (ArgumentException)
        {
            return null; // stale pid file: pg_ctl start cleans it up
        }
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return port;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    // Loopback only, no Unix socket (its path length limit bites in deep temp folders), no fsync: a private, throwaway server.
    private static string ServerOptions(int port) =>
        $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c fsync=off";

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var psi = asPostgres ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        }
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        // The server must not inherit the test runner's or host's pipes, or it keeps them open after we exit.
        psi.RedirectStandardInput = true;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Path.GetFileName(file)} {string.Join(' ', arguments)}' failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}

public sealed class LocalPostgresUnavailableException(string message) : Exception(message);
