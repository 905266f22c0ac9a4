namespace SafetyPlan.Audit;

/// <summary>The audit module: the access log, the security channel, the chain anchors (docs/security.md).</summary>
public static class ConfigureAudit
{
    /// <summary>
    /// Registers what the audit needs beside the store: the authentication service that notes refusals and sign-ins,
    /// the OTLP export of security events (<see cref="SecurityEvents"/>), and the chain anchors. After AddSafetyPlanAuth.
    /// </summary>
    public static WebApplicationBuilder AddSafetyPlanAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Microsoft.AspNetCore.Authentication.IAuthenticationService, RecordingAuthenticationService>();
        builder.AddSecurityChannel();
        builder.Services.AddSingleton<ChainAnchors>();
        builder.Services.AddSingleton<IConfigureMarten, AnchorOnEscalation>();
        return builder;
    }

    /// <summary>The access log, indexed by plan (a plan's case file lists who read it), time and user (the auditors' filters).</summary>
    public static StoreOptions AddAudit(this StoreOptions options)
    {
        options.Schema.For<AccessLogEntry>().Index(e => e.PlanId).Index(e => e.At).Index(e => e.UserId);
        return options;
    }
}
