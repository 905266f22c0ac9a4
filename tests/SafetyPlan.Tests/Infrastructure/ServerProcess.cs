using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>SafetyPlan as a separate operating-system process, so that a test can kill it with SIGKILL and start it again.</summary>
public sealed class ServerProcess(IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private Process? _process;

    /// <summary>The loopback port the server listens on; chosen free before the first start and kept across restarts.</summary>
    public int Port { get; private set; } = FreePort();
    /// <summary>False: the system clock, so that Hangfire's own schedule (not the manual clock) runs the sweep.</summary>
    public bool ManualClock { get; init; } = true;
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// Starts the server and waits until <c>/health</c> answers 200 (90 s at most). The port is chosen by probing, so another
    /// process can take it before the server binds it (the server binds seconds later, after its database is ready): a
    /// start that fails only because the address is in use starts again on a new free port, and nothing else is retried.
    /// </summary>
    /// <exception cref="InvalidOperationException">the server exited while starting; the message holds its last output</exception>
    public async Task Start(DateTimeOffset clockStart)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnce(clockStart);
                return;
            }
            catch (AddressInUseException) when (attempt < 5)
            {
                Port = FreePort();
            }
        }
    }

    private sealed class AddressInUseException(string message) : InvalidOperationException(message);

    private async Task StartOnce(DateTimeOffset clockStart)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = ServerBinary.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ServerBinary.Dll);
        psi.Environment["ASPNETCORE_URLS"] = Address.ToString();
        psi.Environment["App__BaseUrl"] = Address.ToString();
        // The test's own settings win; an empty value removes a variable (ASPNETCORE_URLS, to bind by ASPNETCORE_HTTP_PORTS).
        foreach (var (key, value) in environment)
            if (value.Length == 0) psi.Environment.Remove(key); else psi.Environment[key] = value;
        if (ManualClock)
        {
            psi.Environment["Clock__Mode"] = "Manual";
            psi.Environment["Clock__Start"] = clockStart.ToString("O");
        }
        _process = Process.Start(psi)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                // HasExited can be true before the asynchronous readers have delivered the last lines, which hold the reason.
                await _process.WaitForExitAsync();
                var lines = output.ToList();
                var message = $"The server exited with {_process.ExitCode} while starting:\n{string.Join('\n', lines.TakeLast(200))}";
                _process.Dispose();
                _process = null;
                if (lines.Any(l => l.Contains($"127.0.0.1:{Port}: address already in use", StringComparison.OrdinalIgnoreCase)))
                    throw new AddressInUseException(message);
                throw new InvalidOperationException(message);
            }
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("The server did not become healthy within 90 seconds.");
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public async Task Kill()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public HttpClient As(string user, string roles)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-User", user);
        client.DefaultRequestHeaders.Add("X-Roles", roles);
        return client;
    }

    public async ValueTask DisposeAsync() => await Kill();

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
