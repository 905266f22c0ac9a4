using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
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

    /// <summary>One log record as the receiver decoded it: the body and the attributes (values as text).</summary>
    private sealed record Received(string Body, Dictionary<string, string> Attributes);

    /// <summary>An OTLP/HTTP logs endpoint (<c>POST /v1/logs</c>, protobuf) on loopback, decoding what it receives.</summary>
    private sealed class OtlpReceiver : IDisposable
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
