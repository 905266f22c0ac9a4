using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marten;
using SafetyPlan.Notifications;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Each organisation's case-management system hears of its own organisation's notifications only, signed with its own
/// secret over a timestamp and the body; the webhook's URL appears in no event, inbox item or log line.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_organisations_have_their_own_webhooks(ServerFixture server) : IDisposable
{
    private readonly WebhookSink _sinkA = new();
    private readonly WebhookSink _sinkB = new();
    private readonly string _a = $"org-a-{Guid.NewGuid():N}";
    private readonly string _b = $"org-b-{Guid.NewGuid():N}";
    private const string SecretA = "secret-of-organisation-a-0123456789abcdef";
    private const string SecretB = "secret-of-organisation-b-0123456789abcdef";

    public void Dispose()
    {
        _sinkA.Dispose();
        _sinkB.Dispose();
    }

    private HttpClient Client(string user, string roles, string organisation)
    {
        var client = server.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User", user);
        client.DefaultRequestHeaders.Add("X-Roles", roles);
        client.DefaultRequestHeaders.Add("X-Organisation", organisation);
        return client;
    }

    private async Task SetWebhook(string organisation, string url, string secret) =>
        (await Client("admin", "admin", organisation).PutAsJsonAsync($"/api/organisations/{organisation}", new { webhook = new { url, secret } }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

    /// <summary>A plan of the organisation whose one agreement, not kept, crosses its bottom line: an escalation.</summary>
    private async Task<Guid> PlanWithAnEscalation(string organisation)
    {
        var professional = Client("monitor", "professional", organisation);
        var plan = await (await professional.Post("/api/plans", new { title = "Veiligheidsplan Jansen", family = "Jansen", monitorId = "monitor" })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await professional.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma haalt op", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT4H", reportFrom = "P1D",
        })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new
        {
            text = "Niet opgehaald", rule = new { kind = "any-breach", agreementId = agreement }, acknowledgeWithin = "PT4H",
        })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        (await Client("oma", $"member:{member}", organisation).Post($"/api/plans/{plan}/check-ins",
            new { clientId = "k1", agreementId = agreement, memberId = member, outcome = "not-kept" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        return plan;
    }

    private static async Task<List<WebhookSink.Received>> Received(WebhookSink sink, Guid plan, int count = 1)
    {
        var found = new List<WebhookSink.Received>();
        for (var until = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < until && found.Count < count; await Task.Delay(100))
            found = sink.Requests.Where(r => r.Body.Contains(plan.ToString())).ToList();
        return found;
    }

    [Fact]
    public async Task an_escalation_of_organisation_a_reaches_as_url_only_and_verifies_with_as_secret_only()
    {
        await SetWebhook(_a, _sinkA.Url, SecretA);
        await SetWebhook(_b, _sinkB.Url, SecretB);

        var plan = await PlanWithAnEscalation(_a);

        var hooks = await Received(_sinkA, plan);
        hooks.Count.ShouldBe(1);
        var hook = hooks[0];
        var body = Encoding.UTF8.GetBytes(hook.Body);
        var now = await server.Now();
        WebhookSender.Verify(SecretA, hook.Timestamp, body, hook.Signature, now).ShouldBeTrue();
        WebhookSender.Verify(SecretB, hook.Timestamp, body, hook.Signature, now).ShouldBeFalse();
        WebhookSender.Verify(WebhookSink.Secret, hook.Timestamp, body, hook.Signature, now).ShouldBeFalse();
        // A replay outside the window, or with another timestamp, does not verify either.
        WebhookSender.Verify(SecretA, hook.Timestamp, body, hook.Signature, now.AddMinutes(6)).ShouldBeFalse();
        WebhookSender.Verify(SecretA, (long.Parse(hook.Timestamp!) + 1).ToString(), body, hook.Signature, now).ShouldBeFalse();

        var payload = JsonDocument.Parse(hook.Body).RootElement;
        payload.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["kind", "notification", "organisation", "planId"]);
        (payload.GetProperty("organisation").GetString(), payload.GetProperty("planId").GetGuid(), payload.GetProperty("kind").GetString())
            .ShouldBe((_a, plan, "escalation-raised"));
        payload.GetProperty("notification").GetString().ShouldBe(hook.Delivery);

        // B's system, and the installation-wide fallback of the organisation default, never hear of it.
        await Task.Delay(500);
        _sinkB.Requests.ShouldBeEmpty();
        server.Webhook.Requests.ShouldNotContain(r => r.Body.Contains(plan.ToString()));
    }

    [Fact]
    public async Task the_webhook_is_write_only_its_url_and_secret_never_come_back_and_other_fields_are_kept()
    {
        var admin = Client("admin", "admin", _a);
        (await admin.PutAsJsonAsync($"/api/organisations/{_a}", new { name = "Jeugdzorg A", teams = new[] { "noord" } })).EnsureSuccessStatusCode();
        var set = await admin.PutAsJsonAsync($"/api/organisations/{_a}", new { webhook = new { url = _sinkA.Url, secret = SecretA } });
        set.StatusCode.ShouldBe(HttpStatusCode.OK);
        var read = await admin.GetStringAsync($"/api/organisations/{_a}");
        foreach (var answer in new[] { await set.Content.ReadAsStringAsync(), read })
        {
            answer.ShouldNotContain(_sinkA.Url);
            answer.ShouldNotContain(SecretA);
        }
        var organisation = JsonDocument.Parse(read).RootElement;
        organisation.GetProperty("name").GetString().ShouldBe("Jeugdzorg A"); // a PUT of the webhook alone keeps the rest
        organisation.GetProperty("teams").EnumerateArray().Select(t => t.GetString()).ShouldBe(["noord"]);
        organisation.GetProperty("webhook").GetProperty("changedBy").GetString().ShouldBe("admin");

        // The duty professional: named, kept by a PUT that leaves it out, and "" names none (a blank id would silence the ladder's last step).
        (await admin.PutAsJsonAsync($"/api/organisations/{_a}", new { dutyUserId = "dirk" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest); // no such professional yet
        (await admin.PutAsJsonAsync("/api/users/dirk", new { name = "Dirk", email = "dirk@jeugdzorg.test", language = "nl", roles = new[] { "professional" }, organisation = _a }))
            .EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/organisations/{_a}", new { dutyUserId = "dirk" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/organisations/{_a}", new { name = "Jeugdzorg A" })).EnsureSuccessStatusCode();
        JsonDocument.Parse(await admin.GetStringAsync($"/api/organisations/{_a}")).RootElement.GetProperty("dutyUserId").GetString().ShouldBe("dirk");
        (await admin.PutAsJsonAsync($"/api/organisations/{_a}", new { dutyUserId = "  " })).EnsureSuccessStatusCode();
        JsonDocument.Parse(await admin.GetStringAsync($"/api/organisations/{_a}")).RootElement.GetProperty("dutyUserId").ValueKind.ShouldBe(JsonValueKind.Null);

        foreach (var bad in new object[]
                 {
                     new { url = "http://cms.example/hook", secret = SecretA }, // plain http beyond this machine
                     new { url = _sinkA.Url, secret = "short" },
                     new { url = _sinkA.Url }, // a secret is required: it is never shown, so it cannot be generated
                 })
        {
            var refused = await admin.PutAsJsonAsync($"/api/organisations/{_a}", new { webhook = bad });
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Json()).GetProperty("errors").EnumerateObject().ShouldAllBe(e => e.Name.StartsWith("webhook."));
        }
        (await Client("admin", "admin", _b).PutAsJsonAsync($"/api/organisations/{_a}", new { webhook = new { url = _sinkB.Url, secret = SecretB } }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Stopped: the next escalation of A reaches no webhook.
        (await admin.DeleteAsync($"/api/organisations/{_a}/webhook")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        JsonDocument.Parse(await admin.GetStringAsync($"/api/organisations/{_a}")).RootElement.GetProperty("webhook").ValueKind.ShouldBe(JsonValueKind.Null);
        var plan = await PlanWithAnEscalation(_a);
        await Task.Delay(1000);
        _sinkA.Requests.ShouldNotContain(r => r.Body.Contains(plan.ToString()));
        _sinkB.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task the_webhooks_url_appears_in_no_event_status_inbox_item_or_log_line_whether_it_arrived_or_failed()
    {
        const string token = "Geheim-Token-Zeearend-7731";
        // Delivered: A's webhook, its URL carrying a token of the receiver's.
        await SetWebhook(_a, $"{_sinkA.Url}?token={token}", SecretA);
        var delivered = await PlanWithAnEscalation(_a);
        (await Received(_sinkA, delivered)).Count.ShouldBe(1);
        // Failed: B's webhook on a port where nothing listens (the connection error names host and port).
        var closed = new WebhookSink();
        var closedUrl = $"http://127.0.0.1:{closed.Port}/{token}";
        closed.Dispose();
        await SetWebhook(_b, closedUrl, SecretB);
        var failed = await PlanWithAnEscalation(_b);

        async Task<string[]> WebhookEvents(string organisation, Guid plan)
        {
            await using var session = server.Store.QuerySession(organisation);
            var events = await session.Events.FetchStreamAsync(plan);
            return events.Where(e => e.EventTypeName is "notification_sent" or "notification_failed" or "notification_skipped" or "notification_abandoned")
                .Where(e => JsonSerializer.Serialize(e.Data).Contains(":webhook"))
                .Select(e => JsonSerializer.Serialize(e.Data)).ToArray();
        }
        string[] sent = [], failures = [];
        for (var until = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < until && (sent.Length == 0 || failures.Length == 0); await Task.Delay(100))
            (sent, failures) = (await WebhookEvents(_a, delivered), await WebhookEvents(_b, failed));
        sent.ShouldHaveSingleItem().ShouldContain($"webhook:{_a}");
        failures.ShouldNotBeEmpty();
        failures[0].ShouldContain("connection");

        var seen = new List<string>(sent.Concat(failures));
        foreach (var (organisation, plan) in new[] { (_a, delivered), (_b, failed) })
        {
            var monitor = Client("monitor", "professional", organisation);
            seen.Add(await monitor.GetStringAsync($"/api/plans/{plan}/history"));
            seen.Add(await monitor.GetStringAsync($"/api/plans/{plan}"));
            seen.Add(await Client("auditor", "auditor", organisation).GetStringAsync($"/api/plans/{plan}/history"));
            await using var session = server.Store.QuerySession(organisation);
            seen.AddRange((await session.Query<InboxItem>().Where(i => i.PlanId == plan).ToListAsync()).Select(i => JsonSerializer.Serialize(i)));
        }
        seen.AddRange(server.Logs.Lines);

        foreach (var text in seen)
        {
            text.ShouldNotContain(token);
            text.ShouldNotContain(_sinkA.Url);
            text.ShouldNotContain($"127.0.0.1:{_sinkA.Port}");
            text.ShouldNotContain($"127.0.0.1:{closed.Port}");
        }
        server.Logs.Lines.ShouldContain(l => l.Contains(failed.ToString()) && l.Contains("connection")); // the failure is logged, by code
    }
}
