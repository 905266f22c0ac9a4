using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Property-based: thousands of malformed and hostile bodies, ids, headers and query strings against every endpoint,
/// and values of the right form but extreme size against every field that takes them. Never a 5xx, and a refused
/// request never changes the event store.
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

    // Values valid in form, extreme in size (api-contract.md, "Times, limits and paging"): each is sent in an otherwise
    // valid request, so that it alone decides the answer, which must be exactly what its bound says.

    private static readonly Gen<string> Durations = Gen.OneOf(
        Gen.Elements("PT0S", "PT1S", "PT59S", "PT1M", "PT4M59S", "PT5M", "PT59M", "PT1H", "PT4H", "P1D", "PT24H1S", "P7D", "P7DT1S",
            "P14D", "P90D", "P91D", "P366D", "P367D", "P800000D", "P10675199D", "P10675199DT2H48M5.4775807S", "P10675200D",
            "P99999999999D", "PT9223372036854775807S", "-P1D", "PT-1S", "P0D", "P1Y", "P1M"),
        Gen.Choose(0, int.MaxValue).Select(n => $"PT{n}S"),
        Gen.Choose(0, 1_000_000).Select(n => $"P{n}D"),
        Gen.Choose(0, 200).Select(n => $"PT{n}H"));

    private static readonly Gen<long> Counts = Gen.OneOf(
        Gen.Elements(0L, -1L, 1L, 2L, 60L, 61L, 100L, 101L, int.MaxValue, int.MinValue, int.MaxValue + 1L, long.MaxValue, long.MinValue),
        Gen.Choose(-1000, 1000).Select(i => (long)i));

    /// <summary>An instant as text, and the instant when the text is one (an offset, within ±14:00, inside the calendar).</summary>
    private static Gen<(string Text, DateTimeOffset? Instant)> Instants(DateTimeOffset now) =>
        from year in Gen.OneOf(Gen.Constant(now.Year), Gen.Constant(now.Year), Gen.Elements(1, 2, 9998, 9999), Gen.Choose(1, 9999))
        from month in Gen.Choose(1, 12)
        from day in Gen.Choose(1, 28)
        from hour in Gen.Choose(0, 23)
        from minute in Gen.Choose(0, 59)
        from offset in Gen.Elements<int?>(0, 60, 120, -840, 840, 841, -841, null)
        from extreme in Gen.Elements(0, 0, 0, 1, 2, 3, 4)
        select Instant(extreme switch
        {
            1 => "0001-01-01T00:00:00Z",
            2 => "9999-12-31T23:59:59.9999999Z",
            3 => "9999-12-31T23:59:59+14:00",
            4 => "0001-01-01T00:00:00-14:00",
            _ => string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}-{day:00}T{hour:00}:{minute:00}:00") + offset switch
            {
                null => "",
                0 => "Z",
                { } o => (o < 0 ? "-" : "+") + TimeSpan.FromMinutes(Math.Abs(o)).ToString("hh\\:mm", CultureInfo.InvariantCulture),
            },
        });

    private static (string, DateTimeOffset?) Instant(string text)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(text, @"(Z|[+-]\d\d:\d\d)$")) return (text, null);
        var local = DateTime.ParseExact(text[..19], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var offset = text.EndsWith('Z') ? TimeSpan.Zero : TimeSpan.ParseExact(text[^5..], "hh\\:mm", CultureInfo.InvariantCulture) * (text[^6] == '-' ? -1 : 1);
        try { return (text, new DateTimeOffset(local, offset)); }
        catch (ArgumentOutOfRangeException) { return (text, null); } // beyond ±14:00, or outside the calendar in UTC
        catch (ArgumentException) { return (text, null); }
    }

    private static Gen<DateOnly> Days(DateOnly today) => Gen.OneOf(
        Gen.Elements(DateOnly.MinValue, DateOnly.MaxValue, today, today.AddDays(1), today.AddYears(2), today.AddYears(2).AddDays(1), today.AddDays(-1)),
        Gen.Choose(-800, 800).Select(today.AddDays),
        Gen.Choose(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber).Select(DateOnly.FromDayNumber));

    private static readonly Gen<int> Lengths = Gen.Elements(0, 1, 40, 41, 100, 101, 199, 200, 201, 2000, 2001, 4000, 4001, 8000, 8001, 100_000);

    /// <summary>One extreme case: the request to send and the statuses its value allows.</summary>
    public sealed record Extreme(string Field, string Value, HttpMethod Method, string Url, string? Body, int[] Allowed);

    private sealed class Scene(ServerFixture server)
    {
        public PlanBuilder Draft = null!, Active = null!, Agreeable = null!;
        public DateTimeOffset Now;
        public DateOnly Today;
        public async Task Build()
        {
            Draft = await new PlanBuilder(server).Drafted();
            Active = await new PlanBuilder(server).Drafted();
            await Active.Agreed();
            Agreeable = await new PlanBuilder(server).Drafted();
            Now = await server.Now();
            Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        }
    }

    private static int Inside(bool inside, int accepted) => inside ? accepted : 400;
    private static bool In(string duration, SafetyPlan.Web.DurationBound bound) =>
        SafetyPlan.Web.ContractValues.TryParseDuration(duration, out var d) && bound.Contains(d);
    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static Gen<Extreme> Extremes(Scene s)
    {
        var (draft, active) = (s.Draft, s.Active);
        var (agreements, bottomLines) = ($"/api/plans/{draft.PlanId}/agreements", $"/api/plans/{draft.PlanId}/bottom-lines");
        var member = draft.MemberId;
        var latest = s.Today.AddYears(2);
        var post = HttpMethod.Post;
        var get = HttpMethod.Get;
        string Q(string text) => Uri.EscapeDataString(text);
        Gen<Extreme> Duration(string field, SafetyPlan.Web.DurationBound bound, Func<string, string> body, string url, int accepted = 201) =>
            Durations.Select(v => new Extreme(field, v, post, url, body(Json(v)), [Inside(In(v, bound), accepted)]));

        return Gen.OneOf(
            Duration("grace", SafetyPlan.Web.Bounds.Grace,
                v => $$"""{"text":"t","responsibleMemberId":"{{member}}","schedule":{"daily":"18:00"},"grace":{{v}}}""", agreements),
            Duration("acknowledgeWithin", SafetyPlan.Web.Bounds.AcknowledgeWithin,
                v => $$"""{"text":"t","rule":{"kind":"concern","minSeverity":"high"},"acknowledgeWithin":{{v}}}""", bottomLines),
            Duration("rule.within", SafetyPlan.Web.Bounds.BreachesWithin,
                v => $$$"""{"text":"t","rule":{"kind":"breaches","count":2,"within":{{{v}}}}}""", bottomLines),
            Duration("rule.for", SafetyPlan.Web.Bounds.SilenceFor,
                v => $$$"""{"text":"t","rule":{"kind":"silence","for":{{{v}}}}}""", bottomLines),
            Duration("validFor", new SafetyPlan.Web.DurationBound(TimeSpan.FromMinutes(1), TimeSpan.FromDays(90)),
                v => $$"""{"validFor":{{v}}}""", $"/api/plans/{active.PlanId}/members/{active.MemberId}/links"),
            Counts.Select(c => new Extreme("rule.count", $"{c}", post, bottomLines,
                $$$"""{"text":"t","rule":{"kind":"missed-in-a-row","count":{{{c}}}}}""", [Inside(c is >= 1 and <= 100, 201)])),
            Counts.Select(c => new Extreme("score", $"{c}", post, $"/api/plans/{active.PlanId}/ratings",
                $$"""{"clientId":"{{Guid.NewGuid()}}","memberId":"{{active.MemberId}}","score":{{c}}}""", [Inside(c is >= 0 and <= 10, 201)])),
            Counts.Select(c => new Extreme("evaluationReminderDays", $"{c}", post, "/api/plans",
                $$"""{"title":"t","family":"f","monitorId":"{{draft.MonitorId}}","evaluationReminderDays":[{{c}}]}""", [Inside(c is >= 0 and <= 60, 201)])),
            Counts.Select(c => new Extreme("take", $"{c}", get, $"/api/plans/{active.PlanId}/history?take={c}", null, [Inside(c is >= 1 and <= 1000, 200)])),
            Counts.Select(c => new Extreme("skip", $"{c}", get, $"/api/plans/{active.PlanId}/history?skip={c}", null, [Inside(c is >= 0 and <= int.MaxValue, 200)])),
            Counts.Select(c => new Extreme("version", $"{c}", get, $"/api/plans/{active.PlanId}?version={c}", null,
                c is < 1 or > int.MaxValue ? [400] : [200, 404])), // 404: no such version yet
            Days(s.Today).Select(d => new Extreme("nextEvaluationDue", $"{d:O}", post, $"/api/plans/{active.PlanId}/evaluations",
                $$"""{"outcome":"continue","notes":"n","nextEvaluationDue":"{{d:O}}"}""", [Inside(d > s.Today && d <= latest, 201)])),
            Days(s.Today).Select(d => new Extreme("evaluationDue", $"{d:O}", post, "agree", // the plan is chosen when sent: each can be agreed once
                $$"""{"evaluationDue":"{{d:O}}"}""", [Inside(d > s.Today && d <= latest, 200)])),
            Days(s.Today).Select(d => new Extreme("statistics", $"{d:O}", get, $"/api/statistics/daily?from={d:O}&to={d:O}", null, [200])),
            Instants(s.Now).Select(i => new Extreme("asOf", i.Text, get, $"/api/plans/{active.PlanId}?asOf={Q(i.Text)}", null,
                i.Instant is not { } at || at > s.Now ? [400] : at < s.Now ? [404] : [200])),
            Instants(s.Now).Select(i => new Extreme("from", i.Text, get, $"/api/plans/{active.PlanId}/history?from={Q(i.Text)}&to={Q(i.Text)}", null,
                [i.Instant is null ? 400 : 200])),
            // A far or odd occurrence is not one of the agreement's times (400), or a future one other than the next (409).
            Instants(s.Now).Select(i => new Extreme("occurrence", i.Text, post, $"/api/plans/{active.PlanId}/check-ins",
                $$"""{"clientId":"{{Guid.NewGuid()}}","agreementId":"{{active.AgreementId}}","memberId":"{{active.MemberId}}","outcome":"kept","occurrence":{{Json(i.Text)}}}""",
                i.Instant is null ? [400] : [400, 409, 201])),
            Instants(s.Now).Select(i => new Extreme("schedule.once", i.Text, post, agreements,
                $$$"""{"text":"t","responsibleMemberId":"{{{member}}}","schedule":{"once":{{{Json(i.Text)}}}}}""",
                i.Instant is { } at ? [Inside(at > s.Now, 201)]
                : i.Text.Length != 19 ? [400] // an offset beyond ±14:00, or an instant outside the calendar
                : int.Parse(i.Text[..4], CultureInfo.InvariantCulture) is var y && y != s.Now.Year ? [y > s.Now.Year ? 201 : 400]
                : [201, 400])), // a wall-clock time this year: which side of now it falls is for the unit tests
            Instants(s.Now).Where(i => i.Instant is not { } at || at < s.Now || at > SafetyPlan.Clock.ManualClock.Latest)
                .Select(i => new Extreme("now", i.Text, post, "/api/dev/clock", $$"""{"now":{{Json(i.Text)}}}""", [i.Instant is { } at && at < s.Now ? 409 : 400])),
            Lengths.Select(n => new Extreme("text", $"{n} characters", post, agreements,
                $$$"""{"text":"{{{new string('x', n)}}}","responsibleMemberId":"{{{member}}}","schedule":{"daily":"18:00"}}""", [Inside(n is >= 1 and <= 2000, 201)])),
            Lengths.Select(n => new Extreme("name", $"{n} characters", post, $"/api/plans/{draft.PlanId}/members",
                $$"""{"name":"{{new string('x', n)}}","role":"network"}""", [Inside(n is >= 1 and <= 200, 201)])),
            Lengths.Select(n => new Extreme("phone", $"{n} characters", post, $"/api/plans/{draft.PlanId}/members",
                $$"""{"name":"n","role":"network","phone":"{{new string('0', n)}}"}""", [Inside(n <= 40, 201)])),
            Lengths.Select(n => new Extreme("concern text", $"{n} characters", post, $"/api/plans/{active.PlanId}/concerns",
                $$"""{"clientId":"{{Guid.NewGuid()}}","memberId":"{{active.MemberId}}","text":"{{new string('x', n)}}","severity":"low"}""", [Inside(n is >= 1 and <= 4000, 201)])),
            Lengths.Select(n => new Extreme("notes", $"{n} characters", post, $"/api/plans/{active.PlanId}/evaluations",
                $$"""{"outcome":"continue","notes":"{{new string('x', n)}}"}""", [Inside(n is >= 1 and <= 8000, 201)])),
            Lengths.Select(n => new Extreme("clientId", $"{n} characters", post, $"/api/plans/{active.PlanId}/ratings",
                $$"""{"clientId":"{{new string('c', n)}}","memberId":"{{active.MemberId}}","score":5}""", n is >= 1 and <= 100 ? [200, 201] : [400])));
    }

    private string LastTypes(long count)
    {
        using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand($"select string_agg(type || ' ' || stream_id || ' ' || timestamp, ', ') from (select * from safetyplan.mt_events where type not in ('notification_sent', 'notification_failed', 'notification_skipped', 'tombstone') order by seq_id desc limit {count}) e", connection);
        return command.ExecuteScalar()?.ToString() ?? "";
    }

    /// <summary>The seed of the fixed sample in which every field is refused and accepted at least once.</summary>
    private const ulong CoverageSeed = 20261130;

    [Fact]
    public async Task values_of_the_right_form_but_extreme_size_are_400_outside_their_bounds_and_accepted_inside_never_500()
    {
        var scene = new Scene(server);
        await scene.Build();
        var failures = new List<string>();
        var fields = new Dictionary<string, (int Sent, int Refused)>();
        var sampling = true;
        var property = Prop.ForAll(Extremes(scene).ToArbitrary(), extreme =>
        {
            var url = extreme.Url == "agree" ? $"/api/plans/{scene.Agreeable.PlanId}/agree" : extreme.Url;
            var client = extreme.Field switch
            {
                "occurrence" or "score" or "concern text" or "clientId" => scene.Active.Member,
                "now" => server.As("clock", "admin"),
                "evaluationDue" => scene.Agreeable.Professional,
                _ when url.Contains(scene.Active.PlanId.ToString()) => scene.Active.Professional,
                _ => scene.Draft.Professional,
            };
            var message = new HttpRequestMessage(extreme.Method, url);
            if (extreme.Body is not null) message.Content = new StringContent(extreme.Body, Encoding.UTF8, "application/json");

            var before = server.TotalEvents().GetAwaiter().GetResult();
            var response = client.SendAsync(message).GetAwaiter().GetResult();
            var after = server.TotalEvents().GetAwaiter().GetResult();
            var status = (int)response.StatusCode;
            var answer = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            var shown = extreme.Value.Length > 60 ? extreme.Value[..60] + "…" : extreme.Value;
            if (!extreme.Allowed.Contains(status))
                failures.Add($"{extreme.Field} = {shown}: {status}, expected {string.Join(" or ", extreme.Allowed)}: {answer[..Math.Min(300, answer.Length)]}");
            if (status >= 300 && after != before) failures.Add($"{extreme.Field} = {shown}: refused with {status} but the store changed: {LastTypes(after - before)}");
            if (status == 400 && !answer.Contains("\"errors\"")) failures.Add($"{extreme.Field} = {shown}: 400 without a field error: {answer[..Math.Min(300, answer.Length)]}");
            if (extreme.Field == "evaluationDue" && status == 200)
                scene.Agreeable = new PlanBuilder(server).Drafted().GetAwaiter().GetResult(); // the next agree needs a plan in draft
            if (sampling)
            {
                var (sent, refused) = fields.GetValueOrDefault(extreme.Field);
                fields[extreme.Field] = (sent + 1, refused + (status == 400 ? 1 : 0));
            }
            return status < 500;
        });
        // That every bound is met from both sides is a property of the sample, not of the server, and a random sample
        // can miss one side of a narrow bound (the score, 0-10, was once never inside in 36 tries: about one run in a
        // hundred). So the sample that proves it is fixed, the same 1,200 requests each run; a second, random sample of
        // 1,200 then explores further under the same rules for every answer.
        var fixedSample = Microsoft.FSharp.Core.FSharpOption<Replay>.Some(new Replay(new Rnd(CoverageSeed), Microsoft.FSharp.Core.FSharpOption<int>.None));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1200).WithQuietOnSuccess(true).WithReplay(fixedSample), property);
        sampling = false;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1200).WithQuietOnSuccess(true), property);

        failures.ShouldBeEmpty();
        // Every kind of field was tried, and the bounds were met from both sides (in the fixed sample).
        fields.Keys.Count.ShouldBeGreaterThanOrEqualTo(22);
        fields.Where(f => f.Key is not ("statistics" or "skip")).ShouldAllBe(f => f.Value.Refused > 0);
        fields.Where(f => f.Key is not ("occurrence" or "now")).ShouldAllBe(f => f.Value.Refused < f.Value.Sent);
    }
}
