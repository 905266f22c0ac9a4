using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using SafetyPlan.Demo;

namespace SafetyPlan.Hosting;

/// <summary>
/// Once the server listens, logs in one message what a person starting it needs: the addresses it listens on (with the
/// sign-in page and the API explorer), the database (host, port, database; never the password), whether the demo case
/// was seeded (waiting for <see cref="DemoCase"/> when Demo:Seed is on) and the sign-in mode (Auth:Mode).
/// </summary>
public sealed class StartupReport(
    IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, IServiceProvider services, string connectionString,
    ILogger<StartupReport> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var addresses = AppAddress.Listening(server);
        var first = addresses[0];
        var demo = await Demo(stoppingToken);
        logger.LogInformation(
            "SafetyPlan is listening on {Addresses} (pages: {First}/sign-in; API explorer: {First}/api-docs)\n" +
            "  database: {Database}\n  demo case: {Demo}\n  sign-in: {SignIn}\n  security events: {SecurityChannel}",
            string.Join(", ", addresses), first, first, Database(), demo, SignIn(first), SecurityChannel());
        if (Audit.SecurityEvents.Endpoint(configuration) is null && !Hosting.Database.IsEmbedded(configuration))
            logger.LogWarning("No Security:OtlpEndpoint: security events and chain anchors go to this server's own log only, so someone " +
                              "who breaches this host can erase them. Set Security:OtlpEndpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) to a collector " +
                              "outside its reach (docs/security.md, \"Security events leave the database\").");
        if (services.GetService<Notifications.EmailSender>() is { IsConfigured: false })
            logger.LogWarning("No Smtp:Host: no e-mail is sent (every e-mail delivery is skipped), yet members with an address count as " +
                              "reachable. Only the in-app inbox and Web Push reach anyone (docs/scheduling-and-notifications.md, \"Reachability\").");
    }

    private string SecurityChannel() => Audit.SecurityEvents.Endpoint(configuration) is { } endpoint
        ? $"OpenTelemetry logs to {endpoint}"
        : "this server's log only (set Security:OtlpEndpoint to send them outside)";

    private string Database()
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var where = $"PostgreSQL {connection.Host}:{connection.Port}/{connection.Database}, schema safetyplan";
        return Hosting.Database.Local is { } local ? $"{where} (started by this process, data in {local.DataDirectory})" : where;
    }

    private async Task<string> Demo(CancellationToken ct)
    {
        if (services.GetService<DemoCase>() is not { } demo) return "not seeded (Demo:Seed is off)";
        try
        {
            return $"seeded, plan {await demo.Seeded.WaitAsync(ct)} (gezin Bakker); sign in as {DemoCase.MonitorId} or as a person of the case";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"seeding failed: {e.Message}";
        }
    }

    private string SignIn(string address) =>
        (configuration["Auth:Mode"] ?? Auth.DevelopmentAuthentication.Scheme) == Auth.DevelopmentAuthentication.Scheme
            ? $"Development (anyone chooses who they are: pick a person at /sign-in, or send X-User and X-Roles, e.g. curl -H 'X-User: {DemoCase.MonitorId}' -H 'X-Roles: professional' {address}/api/plans)"
            : $"OpenID Connect at {configuration["Auth:Authority"]}";
}
