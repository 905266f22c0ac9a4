using Scalar.AspNetCore;
using SafetyPlan.Clock;
using SafetyPlan.Demo;
using SafetyPlan.Notifications;
using SafetyPlan.Reports;
using SafetyPlan.Privacy;
using SafetyPlan.Scheduling;
using SafetyPlan.Audit;

namespace SafetyPlan.Hosting;

/// <summary>The whole server: database, event store, Wolverine, Hangfire, auth, the API. Used by Program and by the simulation.</summary>
public static class SafetyPlanServer
{
    /// <summary>Builds the server from <paramref name="args"/> (configuration switches such as <c>--urls</c>) and the configuration; throws when the configuration is refused (no or an unknown Auth:Mode with a database, no App:BaseUrl with a database, the manual clock beside Oidc, an SMTP section that would send in clear beyond loopback); development sign-in beyond loopback fails the start itself (<see cref="LoopbackOnly"/>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Refused settings stop the start before anything is started or connected to.
        SignInMode.Of(builder.Configuration);
        AppAddress.Configured(builder.Configuration);
        SmtpOptions.Check(builder.Configuration.GetSection("Smtp"));
        var embedded = Database.IsEmbedded(builder.Configuration);
        var connectionString = Database.ConnectionString(builder);

        // One clock for everything: the system's, or (Clock:Mode=Manual) one that moves only when told.
        if (builder.Configuration["Clock:Mode"] is "Manual")
        {
            // Whoever moves the manual clock expires links and tokens and raises escalations: never beside a real sign-in.
            if (!SignInMode.IsDevelopment(builder.Configuration))
                throw new InvalidOperationException("Clock:Mode=Manual is for development and tests only, and refuses to run with Auth:Mode=Oidc; remove Clock:Mode.");
            var clock = new ManualClock(ManualClock.StartFrom(builder.Configuration["Clock:Start"]) ?? TimeProvider.System.GetUtcNow());
            builder.Services.AddSingleton(clock);
            builder.Services.AddSingleton<TimeProvider>(clock);
        }
        else
        {
            builder.Services.AddSingleton(TimeProvider.System);
        }

        builder.Services.AddSafetyPlanGeneratedCode(); // Wolverine's code generated at build time (Internal/Generated)
        builder.Services.AddSafetyPlanEventStore(connectionString);
        builder.Services.AddPlans();
        builder.Services.AddReports(); // after Marten's own start: its schema is in place
        builder.Host.UseWolverine(opts =>
        {
            // One node: Solo. More nodes on one database (Cluster:Nodes > 1): Balanced, so that Wolverine spreads the
            // async projections over the nodes and takes them over from a node that died (docs/scaling.md).
            opts.Durability.Mode = builder.Configuration.GetValue("Cluster:Nodes", 1) > 1 ? DurabilityMode.Balanced : DurabilityMode.Solo;
            // A node that stops answering counts as dead after 15 s and its work is reassigned within seconds after
            // that: the survivors take over within 30 s (Wolverine's defaults take minutes).
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(3);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(15);
            opts.Durability.NodeReassignmentPollingTime = TimeSpan.FromSeconds(3);
            opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(3);
            opts.Discovery.IncludeAssembly(typeof(Program).Assembly);
            Plans.PlanCommandHandlers.Register(opts, typeof(Program).Assembly);
            opts.AddNotifications();
        });

        // First of the hosted services that deliver: the inbox is in its current shape before anything delivers.
        builder.Services.AddNotifications(builder.Configuration);
        if (builder.Configuration.GetValue("Demo:Seed", embedded))
        {
            // Before the job server: the demo's history is made on its own clock, and Hangfire's sweep must not catch the
            // plan up to today in the middle of it (Demo/DemoCase.cs).
            builder.Services.AddSingleton<DemoCase>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoCase>());
        }
        builder.Services.AddSafetyPlanScheduling(builder.Configuration, connectionString);
        builder.Services.AddSafetyPlanPrivacy(builder.Configuration);

        builder.Services.AddSafetyPlanAuth(builder.Configuration);
        builder.Services.AddAppAddress(builder.Configuration);
        builder.AddSafetyPlanAudit(); // after auth: the access log's refusals and the security channel
        builder.Services.ConfigureHttpJsonOptions(options => JsonContract.Configure(options.SerializerOptions));
        // A body or parameter the framework cannot read throws in every environment (not only Development), so that
        // UnreadableRequests can name the field that failed.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<UnreadableRequests>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Requests the framework refuses before our code runs (malformed JSON, a missing body) still get a readable detail.
            if (context.ProblemDetails.Status == StatusCodes.Status400BadRequest && context.ProblemDetails.Detail is null)
                context.ProblemDetails.Detail = "The request could not be read: check that the body is valid JSON with the fields this endpoint expects.";
        });
        builder.Services.AddOpenApi(options => options.AddSchemaTransformer((schema, context, _) =>
        {
            // JsonContract reads instants with a converter of its own, which hides their type from the schema.
            if (context.JsonTypeInfo.Type == typeof(DateTimeOffset) || context.JsonTypeInfo.Type == typeof(DateTimeOffset?))
            {
                schema.Type = Microsoft.OpenApi.JsonSchemaType.String
                              | (context.JsonTypeInfo.Type == typeof(DateTimeOffset?) ? Microsoft.OpenApi.JsonSchemaType.Null : 0);
                schema.Format = "date-time";
                schema.Description ??= "An instant with its offset, ISO 8601 (2027-01-04T15:00:00+01:00); in a request, one without an offset is refused.";
            }
            return Task.CompletedTask;
        }));
        builder.Services.AddSafetyPlanPages();
        builder.Services.AddSafetyPlanHardening(builder.Configuration);
        builder.Services.AddHealthChecks()
            .AddCheck("postgres", new PostgresHealthCheck(connectionString))
            .AddCheck<JobServerHealthCheck>("jobs");
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<StartupReport>(sp, connectionString));

        var app = builder.Build();

        app.UseSafetyPlanHardening(embedded);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A body the framework cannot read is the client's mistake (400), never a server error.
            // The database unreachable (restarting, failing over) is temporary: 503, and the client retries with the same clientId.
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                Npgsql.NpgsqlException { IsTransient: true } or TimeoutException => StatusCodes.Status503ServiceUnavailable,
                { InnerException: Npgsql.NpgsqlException { IsTransient: true } } => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseLoopbackOnlyInDevelopment();
        app.UseAuthentication();
        app.UseMiddleware<Audit.AccessLogMiddleware>(); // sees refusals by the role policies too
        app.UseRemovedAccountsRefused(); // after the access log, which then records the refusal
        app.UseCrossSiteRequestCheck();
        app.UseAuthorization();

        // The API's description is for developers: free in the embedded set-up, otherwise for admins only.
        var openApi = app.MapOpenApi("/openapi/{documentName}.json");
        var apiDocs = app.MapScalarApiReference("/api-docs", options => options.WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        if (!embedded)
        {
            openApi.RequireAuthorization(Auth.Policies.Admin);
            apiDocs.RequireAuthorization(Auth.Policies.Admin);
        }
        app.MapHealthChecks("/health", Hardening.Health());
        app.MapSafetyPlanApi();
        app.MapSafetyPlanPages();
        app.UseSafetyPlanScheduling();
        app.UseSafetyPlanPrivacy();
        app.UseChainAnchors();
        return app;
    }
}
