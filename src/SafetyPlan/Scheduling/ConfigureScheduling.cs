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
        services.AddHangfire(config => config
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire", PrepareSchemaIfNecessary = true,
                    // A node killed in the middle of a sweep leaves its lock behind: after a minute (not the default ten)
                    // another node's sweep may take it. A second sweep at once is harmless (docs/scaling.md).
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                }));
        services.AddHangfireServer(options => options.WorkerCount = 2);

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
            .AddOrUpdate<DeadlineSweep>(DeadlineSweep.JobId, sweep => sweep.Run(CancellationToken.None), Cron.Minutely());
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminsOnly()], DisplayStorageConnectionString = false });
        return app;
    }

    /// <summary>The job dashboard shows and can trigger jobs: admins only.</summary>
    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Caller.Admin);
    }
}
