using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>SafetyPlan as a separate operating-system process, so that a test can kill it with SIGKILL and start it again.</summary>
public sealed class ServerProcess(IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = FreePort();
    /// <summary>False: the system clock, so that Hangfire's own schedule (not the manual clock) runs the sweep.</summary>
    public bool ManualClock { get; init; } = true;
    public Uri Address => new($"http://127.0.0.1:{Port}");

    public async Task Start(DateTimeOffset clockStart)
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
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} while starting:\n{string.Join('\n', output.TakeLast(40))}");
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
