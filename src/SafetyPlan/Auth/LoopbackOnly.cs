using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SafetyPlan.Auth;

/// <summary>
/// Header sign-in lets any caller choose who they are, so it works only on the developer's own machine: every address
/// the server actually bound (read from the server after it started, so <c>ASPNETCORE_HTTP_PORTS</c>, <c>--urls</c> and
/// <c>ASPNETCORE_URLS</c> all count) must be loopback, or the start fails; and every request must name a loopback host
/// (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) and arrive on a loopback address, or it is refused with 421
/// (DNS rebinding). Until the addresses are checked, requests answer 503. Registered only in Development mode.
/// </summary>
public sealed class LoopbackOnly(IServer server, ILogger<LoopbackOnly> log) : IHostedLifecycleService
{
    private volatile bool _checked;

    /// <summary>The addresses that are not loopback, in Kestrel's notation (<c>http://[::]:8080</c>); empty when all are.</summary>
    public static IReadOnlyList<string> NotLoopback(IEnumerable<string> addresses) => addresses.Where(a => !IsLoopbackUrl(a)).ToList();

    /// <summary>Whether a request's Host header names this machine: localhost, 127.0.0.0/8 or ::1, with any port.</summary>
    public static bool IsLoopbackHost(HostString host) =>
        host.HasValue && (host.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IsLoopbackAddress(host.Host));

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = NotLoopback(addresses);
        if (exposed.Count > 0)
        {
            var message = $"Auth:Mode=Development lets any caller choose its identity, so SafetyPlan listens only on loopback in this mode; " +
                          $"refusing to run on {string.Join(", ", exposed)}. Bind to http://127.0.0.1:<port> (--urls), or set Auth:Mode=Oidc " +
                          "(README.md, \"Deploying with OpenID Connect\").";
            log.LogCritical("{Refusal}", message);
            throw new InvalidOperationException(message);
        }
        _checked = true;
        return Task.CompletedTask;
    }

    /// <summary>The per-request half: 503 before the check, 421 for a request that is not addressed to loopback.</summary>
    public async Task Guard(HttpContext http, Func<Task> next)
    {
        if (!_checked)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        var local = http.Connection.LocalIpAddress; // none in the in-process test host
        if (!IsLoopbackHost(http.Request.Host) || (local is not null && !IsLoopback(local)))
        {
            await Results.Problem(statusCode: StatusCodes.Status421MisdirectedRequest, title: "Not a loopback host",
                detail: "Development sign-in answers only requests addressed to localhost, 127.0.0.1 or [::1]. " +
                        "Ontwikkel-aanmelding beantwoordt alleen verzoeken aan localhost, 127.0.0.1 of [::1].").ExecuteAsync(http);
            return;
        }
        await next();
    }

    private static bool IsLoopbackUrl(string url)
    {
        var host = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        host = host.Split('/')[0];
        if (host.StartsWith('[')) host = host[..(host.IndexOf(']') + 1)];
        else if (host.Contains(':')) host = host[..host.LastIndexOf(':')];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IsLoopbackAddress(host);
    }

    private static bool IsLoopbackAddress(string host) =>
        IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var address) && IsLoopback(address);

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class LoopbackOnlyMiddleware
{
    /// <summary>In Development mode, the per-request loopback check (<see cref="LoopbackOnly.Guard"/>); otherwise nothing.</summary>
    public static WebApplication UseLoopbackOnlyInDevelopment(this WebApplication app)
    {
        if (app.Services.GetService<LoopbackOnly>() is { } guard) app.Use((http, next) => guard.Guard(http, next));
        return app;
    }
}
