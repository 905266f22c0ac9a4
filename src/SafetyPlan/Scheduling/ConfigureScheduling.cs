using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using SafetyPlan.Auth;
using SafetyPlan.Notifications;

namespace SafetyPlan.Scheduling;

public static class ConfigureScheduling
{
    /// <summary>Hangfire in-process (schema "hangfire"), the deadline sweep, and notification delivery.</summary>
    public static IServiceCollection AddSafetyPlanScheduling(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        // Scheduling:PollingInterval (default: Hangfire's 15 s) is how often each node looks for due and queued jobs;
        // Scheduling:LockTimeout (default 1 minute) how long a dead node's sweep lock holds the others back.
        var polling = configuration.GetValue<TimeSpan?>("Scheduling:PollingInterval");
        var lockTimeout = configuration.GetValue<TimeSpan?>("Scheduling:LockTimeout") ?? TimeSpan.FromMinutes(1);
        services.AddHangfire(config => config
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire", PrepareSchemaIfNecessary = true,
                    // A node killed in the middle of a sweep leaves its lock behind: after a minute (not the default ten)
                    // another node's sweep may take it. A second sweep at once is harmless (docs/scaling.md).
                    DistributedLockTimeout = lockTimeout,
                    QueuePollInterval = polling ?? TimeSpan.FromSeconds(15),
                }));
        services.AddHangfireServer(options =>
        {
            options.WorkerCount = 2;
            if (polling is { } interval) options.SchedulePollingInterval = interval;
        });

        services.Configure<SmtpOptions>(configuration.GetSection("Smtp"));
        services.AddSingleton<EmailSender>();
        services.Configure<WebhookOptions>(configuration.GetSection("Webhook"));
        services.AddHttpClient(nameof(WebhookSender));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<DeadlineSweep>();
        services.AddHostedService<BackgroundDelivery>();
        return services;
    }

    public static WebApplication UseSafetyPlanScheduling(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<DeadlineSweep>(DeadlineSweep.JobId, sweep => sweep.Run(CancellationToken.None),
                app.Configuration["Scheduling:SweepCron"] ?? Cron.Minutely()); // six parts for seconds, e.g. "*/2 * * * * *"
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminsOnly()], DisplayStorageConnectionString = false });
        return app;
    }

    /// <summary>The job dashboard shows and can trigger jobs: admins only.</summary>
    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Caller.Admin);
    }
}
