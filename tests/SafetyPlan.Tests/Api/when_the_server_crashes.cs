using System.Collections.Concurrent;
using System.Net.Http.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// SafetyPlan in a process of its own under a load of check-ins, concerns and deadlines coming due, killed with
/// SIGKILL at a random moment twenty times and started again. Every answered report is in the store exactly once,
/// every crossed bottom line has exactly one escalation, every e-mail arrived once, and the projections equal a
/// fresh replay of the events.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_the_server_crashes(ServerFixture server)
{
    private const int Plans = 4;
    private const int Rounds = 20;

    private sealed record Report(string ClientId, Guid PlanId, string Path, object Body);

    private sealed record TestPlan(Guid Id, Guid Member, Guid Agreement);

    [Fact]
    public async Task twenty_kills_under_load_lose_nothing_double_nothing_and_leave_projections_equal_to_a_replay()
    {
        var database = await server.CreateDatabase("crash_test");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var start = new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.FromHours(1));
        var monitor = $"crash-monitor-{Guid.NewGuid():N}";
        var monitorEmail = $"{monitor}@jeugdzorg.test";
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["Demo__Seed"] = "false",
            ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = server.Smtp.Port.ToString(),
            ["Smtp__Security"] = "None", // the sink offers no TLS
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await node.Start(start);

        var admin = node.As("admin", "admin");
        (await admin.PutAsync($"/api/users/{monitor}", JsonContent.Create(new { name = "Monitor", email = monitorEmail, language = "en", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
        var professional = node.As(monitor, "professional");
        var plans = new List<TestPlan>();
        for (var i = 0; i < Plans; i++)
        {
            var plan = await (await professional.Post("/api/plans", new { title = $"Crash {i}", family = "F", monitorId = monitor })).CreatedId();
            var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
            var agreement = await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Ophalen", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H", reportFrom = "P1D" })).CreatedId();
            await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Gemist", rule = new { kind = "missed-in-a-row", count = 1 }, acknowledgeWithin = "PT4H" })).CreatedId();
            await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Niet opgehaald", rule = new { kind = "any-breach", agreementId = agreement }, acknowledgeWithin = "PT4H" })).CreatedId();
            await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ernstige zorg", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT4H" })).CreatedId();
            (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();
            plans.Add(new TestPlan(plan, member, agreement));
        }

        var answered = new ConcurrentDictionary<string, Report>();
        var unanswered = new ConcurrentDictionary<string, Report>();
        var now = start;
        var sequence = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // Resolve what is open, so that bottom lines can be crossed again (and escalate again) in this round.
            await ResolveOpenEscalations(node.As(monitor, "professional"));

            using var load = new CancellationTokenSource();
            var reporters = Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
            {
                var client = node.As(monitor, "professional"); // a professional reports for the member, on their own plans
                client.Timeout = TimeSpan.FromSeconds(10);
                var own = new Random(seed + round * 10 + c);
                while (!load.IsCancellationRequested)
                {
                    var plan = plans[own.Next(plans.Count)];
                    var clientId = $"r{round}-c{c}-{Interlocked.Increment(ref sequence)}";
                    var report = c == 2
                        ? new Report(clientId, plan.Id, $"/api/plans/{plan.Id}/concerns",
                            new { clientId, memberId = plan.Member, text = "Zorg", severity = own.Next(4) == 0 ? "high" : "low" })
                        : new Report(clientId, plan.Id, $"/api/plans/{plan.Id}/check-ins",
                            new { clientId, agreementId = plan.Agreement, memberId = plan.Member, outcome = own.Next(3) == 0 ? "not-kept" : "kept" });
                    unanswered[clientId] = report;
                    if (!await Send(client, report)) return; // the server is gone: this report's fate is unknown until retried
                    unanswered.TryRemove(clientId, out _);
                    answered[clientId] = report;
                }
            })).ToList();
            // Time passes while people report: occurrences are missed, escalations go unacknowledged, deliveries are due.
            now = now.AddHours(7);
            var target = now;
            var clock = Task.Run(async () =>
            {
                try { await node.As("clock", "admin").Post("/api/dev/clock", new { now = target }); }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
            });

            await Task.Delay(random.Next(100, 1500));
            await node.Kill();
            load.Cancel();
            await Task.WhenAll(reporters.Append(clock));

            await node.Start(now);
            // A phone that heard no answer sends the same report again, with the same clientId, until it hears one. The
            // server is up now: a refused connection fails the test, and so does a report still unanswered after five
            // waits of a minute. A wait that ends without an answer is only a slow server (the first request after a
            // start compiles its handler, which on a loaded 2-core machine has taken longer than a minute); the report
            // is sent again, which the exactly-once checks below then cover too.
            var retry = node.As(monitor, "professional");
            foreach (var report in unanswered.Values.ToList())
            {
                var attempts = 0;
                while (true)
                {
                    attempts++;
                    try
                    {
                        (await Send(retry, report, throwWhenRefused: true)).ShouldBeTrue($"retry of {report.ClientId}");
                        break;
                    }
                    catch (TaskCanceledException) when (attempts < 5) { }
                }
                unanswered.TryRemove(report.ClientId, out _);
                answered[report.ClientId] = report;
            }
        }
        (await node.As("clock", "admin").Post("/api/dev/clock", new { advance = "PT0S" })).EnsureSuccessStatusCode();
        answered.Count.ShouldBeGreaterThan(Rounds * 3, "the load did report");

        // Every answered report is in the store exactly once.
        var stored = await Query(database,
            "select data ->> 'clientId', count(*) from safetyplan.mt_events where type in ('check_in_logged', 'concern_raised') group by 1");
        stored.Where(row => (long)row[1] != 1).ShouldBeEmpty();
        stored.Select(row => (string)row[0]).Order().ShouldBe(answered.Keys.Order());

        // Every crossed bottom line raised exactly one escalation, and each escalation queued its e-mail to the monitor.
        var crossings = await Query(database,
            "select c.data ->> 'breachId', c.data ->> 'bottomLineId', (select count(*) from safetyplan.mt_events e where e.stream_id = c.stream_id and e.type = 'escalation_raised' " +
            "and e.data ->> 'bottomLineId' = c.data ->> 'bottomLineId' and e.version = c.version + 1) " +
            "from safetyplan.mt_events c where c.type = 'bottom_line_crossed'");
        crossings.Count.ShouldBeGreaterThan(Plans, "bottom lines were crossed");
        crossings.ShouldAllBe(row => (long)row[2] == 1);
        var escalations = await Query(database, "select data ->> 'escalationId' from safetyplan.mt_events where type = 'escalation_raised'");
        escalations.Count.ShouldBe(crossings.Count);
        escalations.Select(row => row[0]).Distinct().Count().ShouldBe(escalations.Count);

        // Every e-mail the events say was queued arrived, once: the same message (Message-Id) per delivery.
        var queued = (await Query(database,
            "select 'default/' || stream_id || '/' || (data ->> 'key') from safetyplan.mt_events where type = 'notification_queued' and data ->> 'channel' = 'Email' and data ->> 'recipientUserId' = @monitor",
            ("monitor", monitor))).Select(row => (string)row[0]).ToHashSet();
        queued.Count(k => k.Contains("/escalationraised:", StringComparison.OrdinalIgnoreCase)).ShouldBe(escalations.Count);
        var messages = await server.Smtp.WaitFor(monitorEmail, queued.Count, TimeSpan.FromSeconds(60));
        var byDelivery = messages.GroupBy(m => m.Headers["X-SafetyPlan-Delivery"]).ToDictionary(g => g.Key!, g => g.ToList());
        byDelivery.Keys.Order().ShouldBe(queued.Order());
        byDelivery.Values.ShouldAllBe(copies => copies.Select(m => m.MessageId).Distinct().Count() == 1);
        // The one documented window (docs/scheduling-and-notifications.md): a kill between the mail server's acceptance
        // and the recording of it repeats that message, with the same Message-Id; at most one per kill.
        (messages.Count - queued.Count).ShouldBeLessThanOrEqualTo(Rounds);

        // The projections equal a fresh replay of the events.
        await node.Kill();
        var replay = await ProjectionReplay.Compare(database);
        replay.Documents.ShouldBeGreaterThan(Plans + escalations.Count);
        replay.Differences.ShouldBeEmpty();
        Console.WriteLine($"crash test (seed {seed}): {Rounds} kills, {answered.Count} reports, {crossings.Count} crossings, {messages.Count} e-mails for {queued.Count} deliveries");
    }

    /// <summary>
    /// True when the server answered 2xx; false when it was gone (or, under load, silent) before it answered. Anything
    /// else fails the test. With <paramref name="throwWhenRefused"/> nothing is taken as gone: a refused connection and
    /// a wait without an answer are thrown to the caller.
    /// </summary>
    private static async Task<bool> Send(HttpClient client, Report report, bool throwWhenRefused = false)
    {
        HttpResponseMessage response;
        try { response = await client.Post(report.Path, report.Body); }
        catch (HttpRequestException) when (!throwWhenRefused) { return false; }
        catch (TaskCanceledException) when (!throwWhenRefused) { return false; }
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeInRange(200, 201, $"{report.ClientId}: {body}");
        return true;
    }

    private static async Task ResolveOpenEscalations(HttpClient monitor)
    {
        var open = await (await monitor.GetAsync("/api/escalations?state=open")).Json();
        foreach (var escalation in open.EnumerateArray())
            (await monitor.Post($"/api/escalations/{escalation.GetProperty("id").GetGuid()}/resolve", new { note = "Opgelost" })).EnsureSuccessStatusCode();
    }

    private static async Task<List<object[]>> Query(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
