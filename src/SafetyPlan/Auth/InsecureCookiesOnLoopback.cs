using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SafetyPlan.Auth;

/// <summary>
/// <c>Auth:AllowInsecureCookies=true</c> lets the pages' cookie travel over plain http, which is safe only when nothing but
/// this machine can reach the server: like development sign-in (<see cref="LoopbackOnly"/>), the start fails unless every
/// address the server actually bound is loopback (ASVS 3.4.1, 14.1). Registered only when the setting is true.
/// </summary>
public sealed class InsecureCookiesOnLoopback(IServer server, ILogger<InsecureCookiesOnLoopback> log) : IHostedLifecycleService
{
    public const string Setting = "Auth:AllowInsecureCookies";

    /// <summary>Whether <c>Auth:AllowInsecureCookies</c> is true (false when absent).</summary>
    public static bool Allowed(IConfiguration configuration) => configuration.GetValue(Setting, false);

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var exposed = LoopbackOnly.NotLoopback(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        if (exposed.Count == 0) return Task.CompletedTask;
        var message = $"{Setting}=true sends the sign-in cookie over plain http, so SafetyPlan allows it only on loopback; " +
                      $"refusing to run on {string.Join(", ", exposed)}. Remove {Setting} and serve https (directly or behind a proxy, " +
                      "docs/security.md \"Forwarded headers\"), or bind to http://127.0.0.1:<port> (--urls).";
        log.LogCritical("{Refusal}", message);
        throw new InvalidOperationException(message);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
