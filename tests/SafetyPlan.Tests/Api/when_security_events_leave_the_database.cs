using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Security events leave the database through OpenTelemetry logs over OTLP/HTTP (docs/security.md, "Security events leave
/// the database"): the server runs as its own process with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> pointing at a receiver this
/// test starts on loopback, which decodes the protobuf it is sent.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_security_events_leave_the_database(ServerFixture server)
{
    [Fact]
    public async Task a_sign_in_a_refused_read_and_a_detected_tampering_arrive_at_the_receiver()
    {
        using var receiver = new OtlpReceiver();
        var database = await server.CreateDatabase("security_channel");
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["Demo__Seed"] = "false",
            ["Auth__Mode"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
        });
        await node.Start(ServerFixture.Start);

        var professional = node.As("anna", "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Plan", family = "F", monitorId = "anna" })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var link = await (await professional.Post($"/api/plans/{plan}/members/{member}/links", new { })).Json();
        var token = new Uri(link.GetProperty("url").GetString()!).AbsolutePath;
        using var phone = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = node.Address };
        (await phone.GetAsync(token)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await node.As("bart", "professional").GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var signedIn = await receiver.WaitFor(r => r.Body.StartsWith("signed-in", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("UserId") == $"member-{member}");
        (signedIn.Attributes["Organisation"], signedIn.Attributes["Origin"]).ShouldBe(("default", "127.0.0.1"));
        var refused = await receiver.WaitFor(r => r.Body.StartsWith("refused", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("UserId") == "bart");
        (refused.Attributes["Request"], refused.Attributes["Status"]).ShouldBe(($"GET /api/plans/{plan}", "403"));

        // Someone removes the plan's last event in the database; the check that notices it says so outside the database.
        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var delete = new Npgsql.NpgsqlCommand("delete from safetyplan.mt_events where stream_id = @id and version = (select max(version) from safetyplan.mt_events where stream_id = @id)", connection);
            delete.Parameters.AddWithValue("id", plan);
            (await delete.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        (await (await node.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan}/verify")).Json()).GetProperty("intact").GetBoolean().ShouldBeFalse();
        var tampered = await receiver.WaitFor(r => r.Body.StartsWith("tamper-detected", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("PlanId") == plan.ToString());
        tampered.Attributes["Reason"].ShouldStartWith("events-removed");
    }

    private async Task<ServerProcess> Node(OtlpReceiver receiver, string database)
    {
        var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["Demo__Seed"] = "false",
            ["Auth__Mode"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
        });
        await node.Start(ServerFixture.Start);
        return node;
    }

    /// <summary>Issues a personal link (the links' key) and opens it (the cookie: Data Protection's key ring); the member's user id.</summary>
    private static async Task<string> IssueAndOpenALink(ServerProcess node)
    {
        var professional = node.As("anna", "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Plan", family = "F", monitorId = "anna" })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var link = await (await professional.Post($"/api/plans/{plan}/members/{member}/links", new { })).Json();
        using var phone = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = node.Address };
        (await phone.GetAsync(new Uri(link.GetProperty("url").GetString()!).AbsolutePath)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return $"member-{member}";
    }

    [Fact]
    public async Task a_key_is_reported_once_when_a_node_creates_it_and_never_when_a_node_finds_it()
    {
        using var receiver = new OtlpReceiver();
        var database = await server.CreateDatabase("security_channel_keys");
        await using (var first = await Node(receiver, database))
        {
            var member = await IssueAndOpenALink(first);
            await receiver.WaitFor(r => r.Body.StartsWith("signed-in", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("UserId") == member);
            await receiver.WaitFor(r => r.Body.StartsWith("key-created", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("KeyName") == "personal-links");
            await receiver.WaitFor(r => r.Body.StartsWith("key-created", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("KeyName", "").StartsWith("data-protection:key-", StringComparison.Ordinal));
        }

        // A node started again on the same database finds both keys: it signs in with them and reports no key.
        await using var second = await Node(receiver, database);
        var again = await IssueAndOpenALink(second);
        await receiver.WaitFor(r => r.Body.StartsWith("signed-in", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("UserId") == again);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the exporter sends every second: anything logged with the sign-in has arrived
        receiver.All(r => r.Body.StartsWith("key-created", StringComparison.Ordinal)).Select(r => r.Attributes["KeyName"].Split('-')[0])
            .ShouldBe(new[] { "personal", "data" }, ignoreOrder: true);
    }

    [Fact]
    public async Task a_raised_escalation_sends_the_head_of_the_chain_it_wrote()
    {
        using var receiver = new OtlpReceiver();
        var database = await server.CreateDatabase("security_channel_escalation");
        await using var node = await Node(receiver, database);
        var professional = node.As("anna", "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Plan", family = "F", monitorId = "anna", backupId = "bert" })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var goal = await (await professional.Post($"/api/plans/{plan}/goals", new { danger = "Gevaar", goal = "Doel" })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Afspraak", responsibleMemberId = member, goalId = goal, schedule = new { daily = "15:00" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ondergrens", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT4H" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-03-01" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await node.As("oma", $"member:{member}").Post($"/api/plans/{plan}/concerns", new { clientId = "c-1", memberId = member, text = "Zorg", severity = "high" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var anchor = await receiver.WaitFor(r => r.Body.StartsWith("chain-anchor", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("PlanId") == plan.ToString());
        (anchor.Attributes["Organisation"], anchor.Attributes["Why"]).ShouldBe(("default", "escalation"));
        // The head the commit that raised the escalation wrote: the last event its transaction (xmin) inserted.
        anchor.Attributes["Anchor"].ShouldBe(await Scalar<string>(database,
            "select headers ->> 'hash' || '@' || version from safetyplan.mt_events where stream_id = @plan and xmin::text = " +
            "(select xmin::text from safetyplan.mt_events where stream_id = @plan and type = 'escalation_raised') order by version desc limit 1", plan));
        var check = await (await node.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan}/verify?anchor={anchor.Attributes["Anchor"]}")).Json();
        check.GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task the_daily_run_sends_every_plans_head_once_a_day()
    {
        using var receiver = new OtlpReceiver();
        var database = await server.CreateDatabase("security_channel_daily");
        await using var node = await Node(receiver, database);
        var professional = node.As("anna", "professional");
        var quiet = await (await professional.Post("/api/plans", new { title = "Plan", family = "F", monitorId = "anna" })).CreatedId();
        (await professional.Post($"/api/plans/{quiet}/members", new { name = "Oma", role = "network" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var head = (await (await professional.GetAsync($"/api/plans/{quiet}/verify")).Json()).GetProperty("head").GetString()!;
        bool Daily(Received r, Guid plan) => r.Body.StartsWith("chain-anchor", StringComparison.Ordinal) && r.Attributes.GetValueOrDefault("PlanId") == plan.ToString() && r.Attributes["Why"] == "daily";

        await TriggerDailyAnchors(node);
        var anchor = await receiver.WaitFor(r => Daily(r, quiet));
        (anchor.Attributes["Organisation"], anchor.Attributes["Anchor"]).ShouldBe(("default", head));

        // The same day again (a retry, a second "Trigger now"): only a plan drafted since goes out, the quiet one not twice.
        var drafted = await (await professional.Post("/api/plans", new { title = "Plan 2", family = "G", monitorId = "anna" })).CreatedId();
        await TriggerDailyAnchors(node);
        await receiver.WaitFor(r => Daily(r, drafted));
        await Task.Delay(TimeSpan.FromSeconds(2)); // one run logs both together; the exporter sends every second
        receiver.All(r => Daily(r, quiet)).Count.ShouldBe(1);

        // The next day every head goes out again, unchanged or not.
        (await node.As("clock", "admin").Post("/api/dev/clock", new { advance = "P1D" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await TriggerDailyAnchors(node);
        await receiver.WaitFor(r => Daily(r, drafted) && receiver.All(x => Daily(x, drafted)).Count == 2);
        await Task.Delay(TimeSpan.FromSeconds(2));
        receiver.All(r => Daily(r, quiet)).Select(r => r.Attributes["Anchor"]).ShouldBe(new[] { head, head });
    }

    /// <summary>"Trigger now" on the job dashboard's recurring jobs, as an installation operator: Hangfire runs the job on its worker.</summary>
    private static async Task TriggerDailyAnchors(ServerProcess node)
    {
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = node.Address };
        browser.DefaultRequestHeaders.Add("X-User", "op-1");
        browser.DefaultRequestHeaders.Add("X-Roles", "operator");
        var html = await (await browser.GetAsync("/hangfire/recurring")).Content.ReadAsStringAsync();
        var header = Regex.Match(html, "<meta name=\"csrf-header\" content=\"([^\"]+)\"");
        var token = Regex.Match(html, "<meta name=\"csrf-token\" content=\"([^\"]+)\"");
        (header.Success && token.Success).ShouldBeTrue("the dashboard page names its antiforgery header and token");
        var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = new FormUrlEncodedContent([new("jobs[]", "chain-anchors")]) };
        request.Headers.Add(WebUtility.HtmlDecode(header.Groups[1].Value), WebUtility.HtmlDecode(token.Groups[1].Value));
        (await browser.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    private static async Task<T> Scalar<T>(string database, string sql, Guid plan)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("plan", plan);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>One log record as the receiver decoded it: the body and the attributes (values as text).</summary>
    internal sealed record Received(string Body, Dictionary<string, string> Attributes);

    /// <summary>An OTLP/HTTP logs endpoint (<c>POST /v1/logs</c>, protobuf) on loopback, decoding what it receives.</summary>
    internal sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<Received> _records = new();

        public string Url { get; }

        public OtlpReceiver()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = Task.Run(Serve);
        }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request is { HttpMethod: "POST", Url.AbsolutePath: "/v1/logs" })
                    foreach (var record in Decode(body.ToArray())) _records.Enqueue(record);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public async Task<Received> WaitFor(Func<Received, bool> match)
        {
            var until = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < until)
            {
                if (_records.FirstOrDefault(match) is { } found) return found;
                await Task.Delay(100);
            }
            throw new TimeoutException($"Not received within 30 s; received: {string.Join(" | ", _records.Select(r => r.Body))}");
        }

        /// <summary>What has arrived so far that matches.</summary>
        public List<Received> All(Func<Received, bool> match) => _records.Where(match).ToList();

        public void Dispose() => _listener.Close();

        /// <summary>ExportLogsServiceRequest: resource_logs (1) / scope_logs (2) / log_records (2): body (5), attributes (6).</summary>
        private static IEnumerable<Received> Decode(byte[] request) =>
            from resource in Fields(request) where resource.Field == 1
            from scope in Fields(resource.Bytes) where scope.Field == 2
            from record in Fields(scope.Bytes) where record.Field == 2
            select new Received(
                Fields(record.Bytes).Where(f => f.Field == 5).Select(f => Text(f.Bytes)).FirstOrDefault() ?? "",
                Fields(record.Bytes).Where(f => f.Field == 6).Select(KeyValue).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value));

        private static KeyValuePair<string, string> KeyValue((int Field, byte[] Bytes, ulong Value) field)
        {
            var parts = Fields(field.Bytes).ToList();
            return new(Encoding.UTF8.GetString(parts.First(p => p.Field == 1).Bytes), Text(parts.FirstOrDefault(p => p.Field == 2).Bytes ?? []));
        }

        /// <summary>An AnyValue as text: string (1), bool (2), int (3) or double (4).</summary>
        private static string Text(byte[] anyValue)
        {
            foreach (var (field, bytes, value) in Fields(anyValue))
                return field switch
                {
                    1 => Encoding.UTF8.GetString(bytes),
                    2 => (value != 0).ToString(),
                    3 => ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    4 => BitConverter.Int64BitsToDouble((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => "",
                };
            return "";
        }

        /// <summary>The protobuf wire format's fields: number, and bytes (length-delimited) or value (varint, fixed).</summary>
        private static IEnumerable<(int Field, byte[] Bytes, ulong Value)> Fields(byte[] data)
        {
            var position = 0;
            ulong Varint()
            {
                ulong result = 0;
                for (var shift = 0; ; shift += 7)
                {
                    var b = data[position++];
                    result |= (ulong)(b & 0x7f) << shift;
                    if (b < 0x80) return result;
                }
            }
            while (position < data.Length)
            {
                var key = Varint();
                var (field, wire) = ((int)(key >> 3), (int)(key & 7));
                switch (wire)
                {
                    case 0: yield return (field, [], Varint()); break;
                    case 1: yield return (field, [], BitConverter.ToUInt64(data, position)); position += 8; break;
                    case 2:
                        var length = (int)Varint();
                        yield return (field, data[position..(position + length)], 0);
                        position += length;
                        break;
                    case 5: yield return (field, [], BitConverter.ToUInt32(data, position)); position += 4; break;
                    default: throw new InvalidDataException($"wire type {wire}");
                }
            }
        }
    }
}
