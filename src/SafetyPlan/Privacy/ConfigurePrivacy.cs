using Hangfire;
using SafetyPlan.Scheduling;

namespace SafetyPlan.Privacy;

public static class ConfigurePrivacy
{
    /// <summary>What is masked when a closed plan's retention period passes (docs/security.md, "Privacy and retention"; <see cref="PersonalDataMasking"/>).</summary>
    public static StoreOptions AddPrivacy(this StoreOptions options)
    {
        PersonalDataMasking.Register(options.Events);
        return options;
    }

    /// <summary>The retention policy (refused at start-up when <c>Privacy:RetainAfterClose</c> is not a duration) and its pass.</summary>
    public static IServiceCollection AddSafetyPlanPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(RetentionPolicy.From(configuration));
        services.AddSingleton<RetentionPass>();
        return services;
    }

    /// <summary>Masking after retention is measured in years: once an hour is on time, and cheap (one indexed query).</summary>
    public static WebApplication UseSafetyPlanPrivacy(this WebApplication app)
    {
        app.RegisterRecurringJob(RetentionPass.JobId,
            jobs => jobs.AddOrUpdate<RetentionPass>(RetentionPass.JobId, pass => pass.Run(CancellationToken.None), Cron.Hourly()));
        return app;
    }
}
