using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using SafetyPlan.Notifications;

namespace SafetyPlan.Scheduling;

public static class ConfigureScheduling
{
    /// <summary>Hangfire in-process (schema "hangfire") and the deadline sweep; notification delivery is the Notifications module's (<see cref="ConfigureNotifications"/>).</summary>
    public static IServiceCollection AddSafetyPlanScheduling(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        // Scheduling:PollingInterval (default 5 s) is how often each node looks for due and queued jobs;
        // Scheduling:LockTimeout (default 20 s) how long a dead node's sweep lock holds the others back. With the sweep
        // every 15 s, a deadline is handled within ~20 s, and within ~30 s when a node dies (docs/scaling.md).
        var polling = configuration.GetValue<TimeSpan?>("Scheduling:PollingInterval") ?? DefaultPollingInterval;
        var lockTimeout = configuration.GetValue<TimeSpan?>("Scheduling:LockTimeout") ?? DefaultLockTimeout;
        services.AddHangfire(config => config
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire", PrepareSchemaIfNecessary = true,
                    // A node killed in the middle of a sweep leaves its lock behind: after 20 s (not Hangfire's ten
                    // minutes) another node's sweep may take it. A second sweep at once is harmless (docs/scaling.md).
                    DistributedLockTimeout = lockTimeout,
                    QueuePollInterval = polling,
                }));
        services.AddHangfireServer(options =>
        {
            options.WorkerCount = 2;
            options.SchedulePollingInterval = polling;
        });

        services.AddSingleton<DeadlineSweep>();
        return services;
    }

    public static readonly TimeSpan DefaultPollingInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The default sweep: every 15 seconds (six cron parts, the first for seconds). A sweep of 1,000 due plans takes ~1 s.</summary>
    public const string SweepEvery15Seconds = "*/15 * * * * *";

    public static WebApplication UseSafetyPlanScheduling(this WebApplication app)
    {
        app.RegisterRecurringJob(DeadlineSweep.JobId, jobs => jobs.AddOrUpdate<DeadlineSweep>(DeadlineSweep.JobId, sweep => sweep.Run(CancellationToken.None),
            app.Configuration["Scheduling:SweepCron"] ?? SweepEvery15Seconds));
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminsOrOperators()],
            // Admins may look; only an installation operator may trigger, requeue or delete jobs (docs/security.md).
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(Caller.Operator),
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>
    /// Registers (or updates) a recurring job at start-up, outlasting a lock left by a node that died while holding it.
    /// Hangfire takes the job's lock whenever it enqueues the job; a node killed in that moment leaves the lock until
    /// Scheduling:LockTimeout (20 s) has passed, while registering waits only 15 s for it: a node started again at once
    /// failed to start (when_a_killed_node_is_started_again). Registering is tried again until the dead node's lock has expired.
    /// </summary>
    public static void RegisterRecurringJob(this WebApplication app, string jobId, Action<IRecurringJobManager> register)
    {
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        var lockTimeout = app.Configuration.GetValue<TimeSpan?>("Scheduling:LockTimeout") ?? DefaultLockTimeout;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                register(jobs);
                return;
            }
            catch (Exception e) when (e is PostgreSqlDistributedLockException or Hangfire.Storage.DistributedLockTimeoutException && waited.Elapsed < lockTimeout)
            {
                app.Logger.LogWarning("The recurring job {JobId} is locked, most likely by a node that died holding it; waiting for the lock to expire", jobId);
            }
        }
    }

    /// <summary>The job dashboard: admins read it, operators (who run the installation) also act on jobs.</summary>
    private sealed class AdminsOrOperators : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User is var user && (user.IsInRole(Caller.Admin) || user.IsInRole(Caller.Operator));
    }
}
