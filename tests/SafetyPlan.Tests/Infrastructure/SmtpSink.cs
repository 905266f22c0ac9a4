using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// A real SMTP server process (Debian's python3-aiosmtpd, smtp_sink.py) on a loopback port; it can be stopped and started
/// again on the same port, and told to refuse a recipient (<see cref="Refuse"/>).
/// </summary>
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

    private readonly Lock _refusals = new();

    /// <summary>
    /// From now on the server answers RCPT TO for this address with <paramref name="reply"/>, e.g. <c>550 5.1.1 …</c>
    /// (permanent) or <c>451 4.3.0 …</c> (temporary); <see cref="Accept"/> ends it. Other recipients are accepted.
    /// </summary>
    public void Refuse(string address, string reply) => EditRefusals(lines => lines.Where(l => !For(l, address)).Append($"{address} {reply}"));

    /// <summary>
    /// From now on the server takes this address at RCPT TO but answers the message (DATA) to it with
    /// <paramref name="reply"/>, e.g. <c>554 5.6.0 Message refused by content policy</c>; <see cref="Accept"/> ends it.
    /// </summary>
    public void RefuseMessagesTo(string address, string reply) =>
        EditRefusals(lines => lines.Where(l => !For(l, "data:" + address)).Append($"data:{address} {reply}"));

    public void Accept(string address) => EditRefusals(lines => lines.Where(l => !For(l, address) && !For(l, "data:" + address)));

    private static bool For(string line, string address) => line.StartsWith(address + " ", StringComparison.OrdinalIgnoreCase);

    private void EditRefusals(Func<IEnumerable<string>, IEnumerable<string>> edit)
    {
        lock (_refusals)
        {
            Directory.CreateDirectory(Folder);
            var file = Path.Combine(Folder, "refusals");
            var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
            File.WriteAllLines(file + ".tmp", edit(lines).ToList());
            File.Move(file + ".tmp", file, overwrite: true);
        }
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
