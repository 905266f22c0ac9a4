using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafetyPlan.Hosting;
using SafetyPlan.Tests.Contract;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// One real SafetyPlan server (in-process test host) over one real PostgreSQL for the whole test run: a throwaway
/// cluster in a temporary folder, removed afterwards, or the server named by ConnectionStrings__Postgres.
/// The clock is manual and starts on Monday 4 January 2027, 08:00 in Amsterdam.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(1));

    private LocalPostgres? _postgres;
    private string? _folder;
    private WebApplicationFactory<Program>? _factory;

    public SmtpSink Smtp { get; } = new();
    public WebhookSink Webhook { get; } = new();
    public LogCapture Logs { get; } = new();

    /// <summary>The PostgreSQL server the tests use, for tests that need a database of their own on it.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A new, empty database on the same server (for a separate server process that must not share the test host's data).</summary>
    public async Task<string> CreateDatabase(string name)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new Npgsql.NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using (var drop = new Npgsql.NpgsqlCommand($"drop database if exists {name} with (force)", connection)) await drop.ExecuteNonQueryAsync();
        await using (var create = new Npgsql.NpgsqlCommand($"create database {name}", connection)) await create.ExecuteNonQueryAsync();
        builder.Database = name;
        return builder.ConnectionString;
    }

    public static readonly JsonSerializerOptions Json = CreateJson();

    public WebApplicationFactory<Program> Factory => _factory!;
    public IDocumentStore Store => Factory.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            _folder = Path.Combine(Path.GetTempPath(), $"safetyplan-tests-{Guid.NewGuid():N}");
            _postgres = await LocalPostgres.StartAsync(Path.Combine(_folder, "postgres"));
            connectionString = _postgres.ConnectionString();
        }

        ConnectionString = connectionString;
        // Program runs JasperFx's command line when given a command; under the test host it must start the host rather than parse one.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        await Smtp.Start();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Smtp:Host", "127.0.0.1");
            web.UseSetting("Smtp:Port", Smtp.Port.ToString());
            web.UseSetting("Smtp:Security", "None"); // the sink offers no TLS; when_a_mail_server_offers_no_tls tests the default
            web.UseSetting("Smtp:From", "SafetyPlan <safetyplan@test.example>");
            web.UseSetting("Webhook:Url", Webhook.Url);
            web.UseSetting("Webhook:Secret", WebhookSink.Secret);
            web.UseSetting("ConnectionStrings:Postgres", connectionString);
            web.UseSetting("Clock:Mode", "Manual");
            web.UseSetting("Clock:Start", Start.ToString("O"));
            web.UseSetting("Demo:Seed", "false");
            web.UseSetting("Auth:Mode", "Development");
            web.UseSetting("App:BaseUrl", "http://localhost");
            // A week instead of the Jeugdwet's twenty years, so that when_a_closed_plans_retention_passes can reach it.
            web.UseSetting("Privacy:RetainAfterClose", "P7D");
            web.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LogCapture>("System.Net.Http", LogLevel.Trace));
        });
        _ = _factory.Server; // start now, so that the first test does not pay for it inside its own timing
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await Smtp.DisposeAsync();
        Webhook.Dispose();
        if (_postgres is not null) await _postgres.StopAsync();
        if (_folder is not null)
        {
            try { Directory.Delete(_folder, recursive: true); }
            catch (IOException) { /* left in the temp folder; harmless */ }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>An HTTP client signed in (development mode) as this user with these roles; no user means anonymous.</summary>
    public HttpClient As(string? user, string? roles = null, string? language = null)
    {
        var client = Factory.CreateClient();
        if (user is not null) client.DefaultRequestHeaders.Add("X-User", user);
        if (roles is not null) client.DefaultRequestHeaders.Add("X-Roles", roles);
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        return client;
    }

    /// <summary>As <see cref="As"/>, in <paramref name="organisation"/> (the <c>X-Organisation</c> header of the development sign-in).</summary>
    public HttpClient In(string organisation, string user, string roles)
    {
        var client = As(user, roles);
        client.DefaultRequestHeaders.Add("X-Organisation", organisation);
        return client;
    }

    /// <summary>Moves the manual clock (which runs all work that became due before answering).</summary>
    public async Task<DateTimeOffset> Advance(string duration)
    {
        var response = await As("clock", "admin").Post("/api/dev/clock", new { advance = duration });
        response.EnsureSuccessStatusCode();
        return (await response.Read<ClockResult>()).Now;
    }

    /// <summary>Moves the manual clock forward to the next moment it is this time of day in Amsterdam.</summary>
    public async Task<DateTimeOffset> AdvanceToNext(TimeOnly localTime)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var now = TimeZoneInfo.ConvertTime(await Now(), zone);
        var target = now.Date + localTime.ToTimeSpan();
        if (target <= now.DateTime) target = target.AddDays(1);
        var response = await As("clock", "admin").Post("/api/dev/clock", new { now = new DateTimeOffset(target, zone.GetUtcOffset(target)) });
        response.EnsureSuccessStatusCode();
        return (await response.Read<ClockResult>()).Now;
    }

    /// <summary>
    /// An evaluation date <paramref name="daysAhead"/> days after the manual clock's today in Amsterdam, as the contract
    /// writes it: the clock moves on through the run, and a date must stay after today and at most two years ahead.
    /// </summary>
    public string EvaluationDue(int daysAhead = 56)
    {
        var now = Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        return today.AddDays(daysAhead).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<DateTimeOffset> Now() => (await (await As("clock", "admin").Post("/api/dev/clock", new { advance = "PT0S" })).Read<ClockResult>()).Now;

    /// <summary>Registers a professional with an e-mail address, so that notifications to them are e-mailed.</summary>
    public async Task<string> Professional(string userId, string language = "nl")
    {
        var email = $"{userId}@jeugdzorg.test";
        var response = await As("admin-1", "admin").PutAsync($"/api/users/{userId}", System.Net.Http.Json.JsonContent.Create(new
        {
            name = userId, email, language, roles = new[] { "professional" },
        }));
        response.EnsureSuccessStatusCode();
        return email;
    }

    /// <summary>
    /// Hangfire's own sweep (every 15 seconds) would race with one a test runs itself; holding its DisableConcurrentExecution
    /// lock (the row a sweep in progress holds) keeps it waiting until the returned handle is disposed.
    /// </summary>
    public async Task<IAsyncDisposable> HoldBackHangfiresSweep()
    {
        var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var type = new Npgsql.NpgsqlCommand("select data_type from information_schema.columns where table_schema = 'hangfire' and table_name = 'lock' and column_name = 'acquired'", connection);
        var acquired = (string?)await type.ExecuteScalarAsync() == "timestamp with time zone" ? "now()" : "now() at time zone 'utc'";
        await using var take = new Npgsql.NpgsqlCommand($"insert into hangfire.lock (resource, acquired) values ('hangfire:DeadlineSweep.Run', {acquired}) on conflict do nothing", connection);
        while (await take.ExecuteNonQueryAsync() == 0) await Task.Delay(10); // a sweep in progress holds it for a moment
        return new SweepLock(connection);
    }

    private sealed class SweepLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var release = new Npgsql.NpgsqlCommand("delete from hangfire.lock where resource = 'hangfire:DeadlineSweep.Run'", connection))
                await release.ExecuteNonQueryAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Rebuilds these projections from the events as an operator must: offline (README, "Operating"). Marten's rebuild
    /// replaces every document of a projection page by page, so an append during it (here, the dispatcher recording a
    /// delivery that an earlier test queued) is written over a half-rebuilt document, or read back into the rebuild, and
    /// the rebuild then fails on, or stores, a plan that no stream describes. The shared server is made quiet instead:
    /// Hangfire's sweep is held back and every delivery due by the manual clock, in every organisation, is settled first
    /// (the dispatcher is the one writer that works on its own time; with the clock standing still nothing else appends).
    /// </summary>
    /// <param name="projections">Marten projection names, e.g. <c>Plan</c>, <c>EscalationView</c></param>
    public async Task RebuildWhileQuiet(params string[] projections)
    {
        await using var sweep = await HoldBackHangfiresSweep();
        await DeliveriesSettled();
        using var daemon = await Store.BuildProjectionDaemonAsync();
        foreach (var projection in projections)
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(2), CancellationToken.None);
    }

    /// <summary>
    /// Waits (up to a minute) until no plan of any organisation (or only <paramref name="planId"/>) has a delivery queued
    /// and due by the manual clock. The dispatcher records each delivery a moment after the mail server, push service or
    /// webhook took it, one after another, so a test that reads the stream, the history, the status or the inbox after a
    /// message arrived waits for this first (CI found reads of a version while the push delivery was still being recorded).
    /// A plan document behind its stream (half rebuilt) is not delivered from (PlanStreams.IsWholeStream) and does not count.
    /// </summary>
    public async Task DeliveriesSettled(Guid? planId = null)
    {
        var now = Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var serializer = Store.Options.Serializer();
        var until = DateTime.UtcNow.AddMinutes(1);
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        while (true)
        {
            // Only documents that name the state Queued somewhere can hold a queued delivery; each of those is read whole.
            await using var candidates = new Npgsql.NpgsqlCommand(
                "select p.id, p.data::text from safetyplan.mt_doc_plan p " +
                "join safetyplan.mt_streams s on s.id = p.id and s.tenant_id = p.tenant_id and s.version = (p.data ->> 'version')::bigint " +
                "where position('\"Queued\"' in p.data::text) > 0" + (planId is null ? "" : " and p.id = @id"), connection);
            if (planId is { } id) candidates.Parameters.AddWithValue("id", id);
            var due = new List<Guid>();
            await using (var reader = await candidates.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    if (serializer.FromJson<SafetyPlan.Plans.Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reader.GetString(1))))
                        .Deliveries.Values.Any(d => d.Status == SafetyPlan.Plans.DeliveryStatus.Queued && d.NextAttemptAt <= now))
                        due.Add(reader.GetGuid(0));
            if (due.Count == 0) return;
            DateTime.UtcNow.ShouldBeLessThan(until, $"deliveries due were not settled within a minute, on plans {string.Join(", ", due.Distinct())}");
            await Task.Delay(50);
        }
    }

    public async Task<long> StreamVersion(Guid planId)
    {
        await using var session = Store.QuerySession();
        var state = await session.Events.FetchStreamStateAsync(planId);
        return state?.Version ?? 0;
    }

    /// <summary>The plan's events except notification deliveries and tombstones (see <see cref="TotalEvents"/>).</summary>
    public async Task<long> DomainEvents(Guid planId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select count(*) from safetyplan.mt_events where stream_id = @id and type not in ('notification_sent', 'notification_failed', 'notification_skipped', 'notification_abandoned', 'tombstone')", connection);
        command.Parameters.AddWithValue("id", planId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Every event in the store except notification deliveries, which background delivery appends on its own time
    /// (a test that proves "nothing was appended" must not race with an e-mail from an earlier test), and Marten's
    /// tombstones, which it writes afterwards for the sequence numbers of a failed append (a report sent twice at once).
    /// </summary>
    public async Task<long> TotalEvents()
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select count(*) from safetyplan.mt_events where type not in ('notification_sent', 'notification_failed', 'notification_skipped', 'notification_abandoned', 'tombstone')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonContract.Configure(options);
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}

public static class HttpJson
{
    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, ServerFixture.Json);

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<Guid> CreatedId(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<Created>(body, ServerFixture.Json)!.Id;
    }
}

/// <summary>The answer to a create: <c>{ "id" }</c>.</summary>
internal sealed record Created(Guid Id);
