using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// A minimal SMTP server on a loopback port that accepts every message and notes, per recipient, the moment it accepted
/// it (the end of DATA). Enough for MailKit without TLS; it exists so that the timing ends where the issue says: the
/// e-mail accepted by the mail server, without a second process in between.
/// </summary>
public sealed class LoopbackSmtp : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _accepted = new(StringComparer.OrdinalIgnoreCase);
    private Task? _loop;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                catch (ObjectDisposedException) { return; }
                _ = Task.Run(() => Serve(client));
            }
        });
    }

    /// <summary>The Stopwatch timestamp at which the first message to this address was accepted.</summary>
    public Task<long> AcceptedFor(string address) => _accepted.GetOrAdd(address, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 bench ESMTP");
            var recipients = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO": await writer.WriteLineAsync("250 bench"); break;
                    case "HELO": await writer.WriteLineAsync("250 bench"); break;
                    case "MAIL": recipients.Clear(); await writer.WriteLineAsync("250 OK"); break;
                    case "RCPT":
                        recipients.Add(line[(line.IndexOf('<') + 1)..line.IndexOf('>')]);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with .");
                        while (await reader.ReadLineAsync() is { } data && data != ".") { }
                        var at = Stopwatch.GetTimestamp();
                        foreach (var r in recipients) _accepted.GetOrAdd(r, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
                        await writer.WriteLineAsync("250 accepted");
                        break;
                    case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                    default: await writer.WriteLineAsync("250 OK"); break;
                }
            }
        }
        catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        if (_loop is not null) await _loop;
    }
}
