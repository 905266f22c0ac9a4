using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Property-based: thousands of malformed and hostile bodies, ids, headers and query strings against every endpoint.
/// Never a 5xx, and a refused request never changes the event store.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_clients_send_hostile_input(ServerFixture server)
{
    private static readonly string[] Strings =
    [
        "", " ", "kept", "not-kept", "high", "daily", "P1D", "PT-4H", "P99999999D", "18:00", "25:61", "monday", "funday",
        "2027-01-10", "2027-02-30", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "00000000-0000-0000-0000-000000000000",
        "'; drop table mt_events; --", "<script>alert(1)</script>", "\u0000", "\ud83d\ude00", "𝕊𝕒𝕗𝕖", "../../etc/passwd",
        new string('x', 5000), "null", "NaN", "-1", "1e309", "member:", "professional",
    ];

    private static readonly string[] Fields =
    [
        "clientId", "agreementId", "memberId", "outcome", "note", "occurrence", "text", "severity", "score", "title", "family",
        "monitorId", "backupId", "timeZone", "name", "role", "email", "phone", "danger", "goal", "responsibleMemberId", "goalId",
        "schedule", "grace", "rule", "kind", "count", "within", "for", "minSeverity", "acknowledgeWithin", "evaluationDue",
        "notes", "nextEvaluationDue", "reason", "now", "advance", "language", "roles", "evaluationReminderDays",
    ];

    private static Gen<JsonNode?> Value(int depth) => Gen.OneOf(
        Gen.Elements(Strings).Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Choose(-1000, 1000).Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Elements(long.MaxValue, long.MinValue, 0L).Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Constant<JsonNode?>(null),
        Gen.Constant<JsonNode?>(JsonValue.Create(Guid.NewGuid())),
        depth > 0 ? Object(depth - 1).Select(o => (JsonNode?)o) : Gen.Constant<JsonNode?>(new JsonObject()),
        depth > 0 ? Value(depth - 1).ArrayOf().Select(a => (JsonNode?)new JsonArray(a.Select(x => x?.DeepClone()).ToArray())) : Gen.Constant<JsonNode?>(new JsonArray()));

    private static Gen<JsonObject> Object(int depth) =>
        Gen.Elements(Fields).Zip(Value(depth)).ArrayOf().Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (key, value) in pairs) o[key] = value?.DeepClone();
            return o;
        });

    private static readonly Gen<string> RawBody = Gen.OneOf(
        Object(2).Select(o => o.ToJsonString()),
        Gen.Elements("", "{", "[]", "null", "\"text\"", "{\"clientId\": }", "{\"score\": 1e999}", "\u0000\u0001", "{\"a\":" + new string('[', 2000)));

    public sealed record HostileRequest(HttpMethod Method, string Url, string Body, string Roles);

    [Fact]
    public async Task no_request_gets_a_server_error_and_a_refused_one_changes_nothing()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "concern", minSeverity = "high" });
        await plan.Agreed();
        var p = plan.PlanId;
        var ids = new[] { p.ToString(), Guid.NewGuid().ToString(), "not-a-guid", "..%2F..", "%E2%82%AC", new string('9', 300) }; // (a NUL in a path is refused by the test host itself; Kestrel answers 400)
        var templates = new (HttpMethod, string)[]
        {
            (HttpMethod.Post, "/api/plans"), (HttpMethod.Get, "/api/plans?status={q}&monitorId={q}"), (HttpMethod.Get, "/api/plans/{id}?asOf={q}&version={q}"),
            (HttpMethod.Post, "/api/plans/{id}/members"), (HttpMethod.Post, "/api/plans/{id}/goals"), (HttpMethod.Post, "/api/plans/{id}/agreements"),
            (HttpMethod.Delete, "/api/plans/{id}/agreements/{id}"), (HttpMethod.Post, "/api/plans/{id}/bottom-lines"), (HttpMethod.Post, "/api/plans/{id}/agree"),
            (HttpMethod.Post, "/api/plans/{id}/evaluations"), (HttpMethod.Post, "/api/plans/{id}/check-ins"), (HttpMethod.Post, "/api/plans/{id}/concerns"),
            (HttpMethod.Post, "/api/plans/{id}/ratings"), (HttpMethod.Get, "/api/plans/{id}/history?type={q}&from={q}&skip={q}&take={q}"),
            (HttpMethod.Get, "/api/plans/{id}/diff?from={q}&to={q}"), (HttpMethod.Get, "/api/escalations?state={q}"),
            (HttpMethod.Post, "/api/escalations/{id}/acknowledge"), (HttpMethod.Post, "/api/escalations/{id}/resolve"),
            (HttpMethod.Put, "/api/users/{id}"), (HttpMethod.Get, "/api/users/{id}"), (HttpMethod.Post, "/api/dev/clock"),
            (HttpMethod.Delete, "/api/plans/{id}/members/{id}"), (HttpMethod.Get, "/api/plans/{id}/export?format={q}"),
        };
        var roles = new[] { "professional", "auditor", "admin", $"member:{plan.MemberId}", "member:x", "", "professional,admin", new string('r', 3000) };
        var queryValues = Strings.Select(Uri.EscapeDataString).Append("1").Append("-5").Append("2027-01-01T00:00:00Z").ToArray();

        var requests =
            from template in Gen.Elements(templates)
            from id in Gen.Elements(ids)
            from query in Gen.Elements(queryValues)
            from body in RawBody
            from role in Gen.Elements(roles)
            select new HostileRequest(template.Item1, template.Item2.Replace("{id}", id).Replace("{q}", query), body, role);

        var failures = new List<string>();
        var sent = 0;
        var runs = 0;
        var statuses = new Dictionary<int, int>();
        var property = Prop.ForAll(requests.ToArbitrary(), request =>
        {
            runs++;
            if (request.Url.Contains("/api/dev/clock") && request.Body.Contains("now")) return true; // moving the clock is not a change of the store
            var before = server.TotalEvents().GetAwaiter().GetResult();
            var client = server.As("fuzzer", request.Roles);
            var message = new HttpRequestMessage(request.Method, request.Url);
            if (request.Method != HttpMethod.Get) message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
            var response = client.SendAsync(message).GetAwaiter().GetResult();
            var after = server.TotalEvents().GetAwaiter().GetResult();
            var status = (int)response.StatusCode;
            sent++;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500) failures.Add($"{status} {request.Method} {request.Url} as '{request.Roles[..Math.Min(30, request.Roles.Length)]}': {request.Body[..Math.Min(200, request.Body.Length)]}");
            if (status >= 300 && after != before) failures.Add($"refused with {status} but the store changed: {request.Method} {request.Url} {request.Body[..Math.Min(200, request.Body.Length)]}");
            return status < 500;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500).WithQuietOnSuccess(true), property);

        failures.ShouldBeEmpty();
        runs.ShouldBe(1500);
        sent.ShouldBeGreaterThan(1000);
        statuses.Keys.ShouldContain(400); // the inputs really were refused for what they are, not just for who sent them
        statuses.Keys.ShouldContain(404);
    }
}
