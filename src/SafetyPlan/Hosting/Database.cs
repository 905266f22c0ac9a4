namespace SafetyPlan.Hosting;

/// <summary>Where the database is: the configured connection string, or a private local PostgreSQL started for this process.</summary>
public static class Database
{
    public static string ConnectionString(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var dataDirectory = builder.Configuration["LocalPostgres:DataDirectory"]
                            ?? Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), ".data", "postgres");
        var server = LocalPostgres.StartAsync(dataDirectory).GetAwaiter().GetResult();
        Local = server;
        builder.Services.AddHostedService(sp => new LocalPostgresLifetime(server));
        Console.WriteLine($"SafetyPlan: local PostgreSQL in {server.DataDirectory} on 127.0.0.1:{server.Port}");
        return server.ConnectionString();
    }

    /// <summary>The local cluster this process started, if any.</summary>
    public static LocalPostgres? Local { get; private set; }

    /// <summary>Stops the local cluster this process started (commands such as `projections rebuild` never start the host that would).</summary>
    public static async Task StopLocal()
    {
        if (Local is { } local) await local.StopAsync();
    }

    /// <summary>Whether this process provisions its own database: then the embedded defaults (development sign-in, demo case) apply.</summary>
    public static bool IsEmbedded(IConfiguration configuration) => string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"));

    // `dotnet run --project src/SafetyPlan` runs in the project folder; the data belongs at the top of the checkout.
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SafetyPlan.slnx"))) return dir.FullName;
        return null;
    }

    private sealed class LocalPostgresLifetime(LocalPostgres server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync();
    }
}
