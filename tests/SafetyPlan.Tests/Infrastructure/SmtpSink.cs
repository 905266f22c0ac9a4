using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>A real SMTP server process (Debian's python3-aiosmtpd) on a loopback port; it can be stopped and started again on the same port.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private Process? _process;

    public SmtpSink()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Folder = Path.Combine(Path.GetTempPath(), $"safetyplan-smtp-{Guid.NewGuid():N}");
    }

    public int Port { get; }
    public string Folder { get; }

    public async Task Start()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "smtp_sink.py");
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "--port", Port.ToString(), "--folder", Folder }) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        var ready = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready != "ready")
            throw new InvalidOperationException($"The SMTP sink did not start (is python3-aiosmtpd installed?): {await _process.StandardError.ReadToEndAsync()}");
    }

    public async Task Stop()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.eml").Select(f => MimeMessage.Load(f)).ToList()
            : [];

    public IReadOnlyList<MimeMessage> MessagesTo(string address) =>
        Messages().Where(m => m.To.Mailboxes.Any(x => x.Address == address)).ToList();

    /// <summary>Waits until the condition holds, or fails after the timeout: delivery after a request is asynchronous.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitFor(string address, int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            var messages = MessagesTo(address);
            if (messages.Count >= count) return messages;
            await Task.Delay(100);
        }
        return MessagesTo(address);
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
