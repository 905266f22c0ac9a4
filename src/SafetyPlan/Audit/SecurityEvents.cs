using System.Security.Claims;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;

namespace SafetyPlan.Audit;

/// <summary>
/// Security events (sign-ins, refusals, tamper detected, keys created, chain anchors) as logs of the category
/// <see cref="Category"/>, which leave the database through OpenTelemetry's OTLP exporter when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>Security:OtlpEndpoint</c>) is set, so that someone who breaches the database
/// cannot erase them (docs/security.md, "Security events leave the database"). Each record's body is the event's name
/// (<c>signed-in</c>, <c>refused</c>, <c>tamper-detected</c>, <c>key-created</c>, <c>chain-anchor</c>) and its attributes the facts.
/// </summary>
public static class SecurityEvents
{
    public const string Category = "SafetyPlan.Security";

    /// <summary>Where the security events go: <c>Security:OtlpEndpoint</c>, else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; null when neither is set.</summary>
    public static string? Endpoint(IConfiguration configuration) =>
        new[] { configuration["Security:OtlpEndpoint"], configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] }.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e));

    /// <summary>Adds the OTLP export of the security events (only them: no other category goes out); off when no endpoint is set.</summary>
    public static void AddSecurityChannel(this WebApplicationBuilder builder)
    {
        if (Endpoint(builder.Configuration) is not { } endpoint) return;
        var protocol = builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] is "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        builder.Logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.ParseStateValues = true;
            options.AddOtlpExporter((exporter, processor) =>
            {
                exporter.Protocol = protocol;
                // The signal's path is appended only when the endpoint comes from the environment variable itself.
                exporter.Endpoint = new Uri(protocol == OtlpExportProtocol.HttpProtobuf && !endpoint.TrimEnd('/').EndsWith("/v1/logs", StringComparison.Ordinal)
                    ? endpoint.TrimEnd('/') + "/v1/logs" : endpoint);
                // A second, not OpenTelemetry's five: an event should be outside before anyone could remove it.
                processor.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 1000;
            });
        });
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(null, LogLevel.None);
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(Category, LogLevel.Information);
    }

    public static void SignedIn(ILoggerFactory loggers, HttpContext http, ClaimsPrincipal principal) =>
        loggers.CreateLogger(Category).LogInformation(
            "signed-in {UserId} {Roles} {Organisation} {Origin} {Path}",
            principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", string.Join(',', principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order()),
            principal.FindFirstValue(Caller.OrganisationClaim) ?? Caller.DefaultOrganisation, Origin(http), http.Request.Path.Value);

    /// <summary>
    /// A sign-in that did not succeed (ASVS 7.2.1): a provider's token refused by SafetyPlan (no organisation, no second
    /// factor), or a failed callback; <paramref name="reason"/> holds no token and no personal data.
    /// </summary>
    public static void SignInRefused(HttpContext http, string? subject, string reason) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category).LogWarning(
            "sign-in-refused {UserId} {Origin} {Path} {Reason}", subject ?? "", Origin(http), http.Request.Path.Value, reason);

    /// <summary>A request to case data that was refused (also by an anonymous caller).</summary>
    public static void Refused(ILoggerFactory loggers, HttpContext http, int status)
    {
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        var caller = signedIn ? http.Caller() : null;
        loggers.CreateLogger(Category).LogWarning(
            "refused {UserId} {Roles} {Organisation} {Origin} {Request} {Status}",
            caller?.UserId ?? "", caller?.RoleList ?? "", caller?.Organisation ?? "", Origin(http),
            $"{http.Request.Method} {http.Request.Path}", status);
    }

    public static void TamperDetected(ILogger logger, string organisation, Guid planId, string reason) =>
        logger.LogError("tamper-detected {Organisation} {PlanId} {Reason}", organisation, planId, reason);

    public static void KeyCreated(ILogger logger, string name) => logger.LogWarning("key-created {KeyName}", name);

    /// <summary>A plan's chain head, to be kept outside the database: <c>?anchor=&lt;hash&gt;@&lt;version&gt;</c> of <c>GET /verify</c> checks against it.</summary>
    public static void ChainAnchor(ILogger logger, string organisation, Guid planId, long version, string head, string why) =>
        logger.LogInformation("chain-anchor {Organisation} {PlanId} {Anchor} {Why}", organisation, planId, $"{head}@{version}", why);

    private static string Origin(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
