using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>A case-management system's webhook endpoint on loopback: records every request it receives.</summary>
public sealed class WebhookSink : IDisposable
{
    public sealed record Received(string Body, string? Signature, string? Delivery, string? Timestamp);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Received> _received = new();
    public const string Secret = "test-organisation-secret";

    public WebhookSink()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(Listen);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/safetyplan";
    public IReadOnlyList<Received> Requests => _received.ToList();

    private readonly ConcurrentDictionary<Guid, int> _answers = new();

    /// <summary>From now on every request about this plan is answered with this HTTP status (others get 204).</summary>
    public void Answer(Guid planId, int status) => _answers[planId] = status;

    private async Task Listen()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var reader = new StreamReader(context.Request.InputStream);
            var received = new Received(await reader.ReadToEndAsync(), context.Request.Headers["X-SafetyPlan-Signature"], context.Request.Headers["X-SafetyPlan-Delivery"],
                context.Request.Headers["X-SafetyPlan-Timestamp"]);
            _received.Enqueue(received);
            context.Response.StatusCode = _answers.FirstOrDefault(a => received.Body.Contains(a.Key.ToString())).Value is > 0 and var status ? status : 204;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
