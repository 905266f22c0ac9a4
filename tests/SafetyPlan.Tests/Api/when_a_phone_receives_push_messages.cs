using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using SafetyPlan.Notifications;
using SafetyPlan.Organisations;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Web Push end to end: a person subscribes a browser (<c>POST /api/me/push-subscriptions</c>), every notification to
/// them is queued by push too, and the dispatcher sends it to a push service on loopback that checks the VAPID token and
/// decrypts the message with the subscription's own keys, as a phone would. One push per delivery, none without a
/// subscription, a subscription the push service says is gone is removed and refuses the delivery for good.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_phone_receives_push_messages(ServerFixture server) : IDisposable
{
    private readonly PushService _push = new();

    public void Dispose() => _push.Dispose();

    private sealed record Payload(string Kind, string Title, string Url, string Id);
    private sealed record Skipped(string Key, string Reason);
    private sealed record Sent(string Key, string Address);

    private async Task<PlanBuilder> PlanWhoseConcernsEscalate()
    {
        var plan = new PlanBuilder(server);
        await server.Professional(plan.MonitorId);
        await plan.Drafted();
        await plan.WithBottomLine(new { kind = "concern", minSeverity = "medium" });
        await plan.Agreed();
        return plan;
    }

    private static async Task RaiseConcern(PlanBuilder plan) =>
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = Guid.NewGuid().ToString(), memberId = plan.MemberId, text = "Politie aan de deur", severity = "high" }))
        .StatusCode.ShouldBe(HttpStatusCode.Created);

    private static async Task Subscribe(HttpClient person, PushService.Subscription subscription) =>
        (await person.Post("/api/me/push-subscriptions", subscription.Request)).StatusCode.ShouldBe(HttpStatusCode.Created);

    private static async Task<List<HistoryEntry>> Events(PlanBuilder plan, string type) =>
        (await plan.History()).Where(e => e.Type == type && e.DataAs<DeliveryKey>().Key!.EndsWith(":push")).ToList();

    private async Task<List<PushSubscriptionDocument>> SubscriptionsOf(string owner)
    {
        await using var session = server.Store.QuerySession(Tenants.Of("default"));
        return [.. await session.Query<PushSubscriptionDocument>().Where(s => s.Owner == owner).ToListAsync()];
    }

    [Fact]
    public async Task an_escalation_reaches_the_monitors_phone_once_encrypted_for_it_and_signed_with_the_servers_key()
    {
        var plan = await PlanWhoseConcernsEscalate();
        var phone = _push.Subscribe();
        await Subscribe(plan.Professional, phone);
        await Subscribe(plan.Professional, phone); // the same subscription again: still one

        await RaiseConcern(plan);
        await server.Advance("PT0S");
        await server.Advance("PT2H");

        var received = _push.To(phone).ShouldHaveSingleItem();
        received.Problem.ShouldBeNull();
        received.VapidKey.ShouldBe((await server.As(null).Get<JsonElement>("/api/push/key")).GetProperty("publicKey").GetString());
        var escalationId = (await plan.Escalations()).Single(e => e.PlanId == plan.PlanId).Id;
        var key = $"escalationraised:{escalationId}:user/{plan.MonitorId}:push";
        var topic = PushSender.Topic($"default/{plan.PlanId}/{key}");
        JsonSerializer.Deserialize<Payload>(received.Plaintext!, ServerFixture.Json)
            .ShouldBe(new Payload("escalation-raised", "Bodemeis overschreden in een veiligheidsplan", $"/plans/{plan.PlanId}", topic));
        (received.Topic, received.Ttl).ShouldBe((topic, "86400"));
        received.Plaintext!.ShouldNotContain("Politie");
        received.Plaintext!.ShouldNotContain("Jansen");

        (await Events(plan, "notification-sent")).ShouldHaveSingleItem().DataAs<Sent>().ShouldBe(new Sent(key, "push:1"));
        (await plan.Status()).Notifications.Single(n => n.Channel == "push" && n.Subject == "escalation-raised").Delivery.ShouldBe("sent");
        (await SubscriptionsOf($"user/{plan.MonitorId}")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_members_evaluation_reminder_reaches_each_of_their_phones_once_in_the_members_language()
    {
        var plan = await new PlanBuilder(server).Drafted();
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = server.EvaluationDue(8) })).EnsureSuccessStatusCode();
        var (dutch, english) = (_push.Subscribe(), _push.Subscribe());
        await Subscribe(server.As("oma", $"member:{plan.MemberId}", "nl"), dutch);
        await Subscribe(server.As("oma", $"member:{plan.MemberId}", "en"), english);

        await server.Advance("P2D"); // 09:00 seven days before the evaluation has passed
        await server.Advance("PT1H");

        // Her pick-up's check-in reminders reach the same phones on the days passed (when_a_member_is_reminded...): only the evaluation's count here.
        List<Payload> EvaluationReminders(PushService.Subscription phone) =>
            _push.To(phone).Select(r => JsonSerializer.Deserialize<Payload>(r.Plaintext!, ServerFixture.Json)!).Where(p => p.Kind == "evaluation-reminder").ToList();
        var reference = EvaluationReminders(dutch).ShouldHaveSingleItem();
        (reference.Kind, reference.Title, reference.Url).ShouldBe(("evaluation-reminder", "Evaluatie van een veiligheidsplan komt eraan", "/member"));
        // The member's language (Dutch, as she was added), also on the phone whose browser subscribed in English.
        EvaluationReminders(english).ShouldHaveSingleItem().ShouldBe(reference);
        (await Events(plan, "notification-sent")).Where(e => e.DataAs<Sent>().Key.StartsWith("evaluationreminder:") && e.DataAs<Sent>().Key.Contains($"member/{plan.MemberId}"))
            .ShouldHaveSingleItem().DataAs<Sent>().Address.ShouldBe("push:2");
    }

    [Fact]
    public async Task a_phone_that_renewed_its_keys_gets_the_next_message_encrypted_to_the_new_ones()
    {
        var plan = await PlanWhoseConcernsEscalate();
        var phone = _push.Subscribe();
        await Subscribe(plan.Professional, phone);
        var renewed = _push.Renew(phone); // the member page posts the browser's subscription again on each visit
        await Subscribe(plan.Professional, renewed);
        (await SubscriptionsOf($"user/{plan.MonitorId}")).ShouldHaveSingleItem().P256dh.ShouldBe(renewed.P256dh);

        await RaiseConcern(plan);
        await server.Advance("PT0S");

        var received = _push.To(renewed).ShouldHaveSingleItem();
        (received.Problem, JsonSerializer.Deserialize<Payload>(received.Plaintext!, ServerFixture.Json)!.Kind).ShouldBe((null, "escalation-raised"));
    }

    [Fact]
    public async Task a_member_removed_from_the_network_or_whose_plan_closed_keeps_no_push_subscription()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var oma = server.As("oma", $"member:{plan.MemberId}");
        var riet = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Tante Riet", role = "network" })).CreatedId();
        var tante = server.As("riet", $"member:{riet}");
        var (omasPhone, tantesPhone) = (_push.Subscribe(), _push.Subscribe());
        await Subscribe(oma, omasPhone);
        await Subscribe(tante, tantesPhone);
        (await SubscriptionsOf($"member/{plan.PlanId}/{plan.MemberId}")).Count.ShouldBe(1);

        // Removed: her phone's subscription goes in the same transaction as the removal; her own "turn off" still answers.
        var removal = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{plan.PlanId}/members/{riet}") { Content = JsonContent.Create(new { reason = "Verhuisd" }) };
        (await plan.Professional.SendAsync(removal)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await SubscriptionsOf($"member/{plan.PlanId}/{riet}")).ShouldBeEmpty();
        (await SubscriptionsOf($"member/{plan.PlanId}/{plan.MemberId}")).Count.ShouldBe(1);
        var turnOff = new HttpRequestMessage(HttpMethod.Delete, "/api/me/push-subscriptions") { Content = JsonContent.Create(new { endpoint = tantesPhone.Endpoint }) };
        (await tante.SendAsync(turnOff)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await tante.Post("/api/me/push-subscriptions", tantesPhone.Request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Closed at its evaluation: every member's subscription on this plan goes.
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations", new { outcome = "close", notes = "Het plan is afgerond." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await SubscriptionsOf($"member/{plan.PlanId}/{plan.MemberId}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_person_without_a_subscription_gets_no_push_and_the_delivery_is_skipped_without_personal_data()
    {
        var plan = await PlanWhoseConcernsEscalate();

        await RaiseConcern(plan);
        await server.Advance("PT0S");

        var skipped = (await Events(plan, "notification-skipped")).ShouldHaveSingleItem().DataAs<Skipped>();
        skipped.Reason.ShouldBe("No push subscription is known for this recipient; the notification is in the in-app inbox.");
        (await plan.Status()).Notifications.Single(n => n.Channel == "push").Delivery.ShouldBe("skipped");
        _push.Requests.ShouldBeEmpty();
        // The inbox holds the notification once: push is a channel of the same notification, not another one.
        (await plan.Professional.Get<List<Contract.InboxItem>>("/api/notifications")).Where(i => i.PlanId == plan.PlanId).ShouldHaveSingleItem().Channel.ShouldBe("email");
    }

    [Fact]
    public async Task a_subscription_the_push_service_says_is_gone_is_removed_and_the_delivery_ends_as_refused()
    {
        var plan = await PlanWhoseConcernsEscalate();
        var phone = _push.Subscribe();
        phone.Answer = 410;
        await Subscribe(plan.Professional, phone);
        var owner = $"user/{plan.MonitorId}";

        await RaiseConcern(plan);
        await server.Advance("PT0S");

        _push.To(phone).ShouldHaveSingleItem().Problem.ShouldBeNull(); // a well-formed message, answered 410
        (await Events(plan, "notification-abandoned")).ShouldHaveSingleItem().DataAs<DeliveryEnded>()
            .ShouldBe(new DeliveryEnded("refused", "http-410", 1, await server.Now()));
        (await SubscriptionsOf(owner)).ShouldBeEmpty();
        await using (var session = server.Store.QuerySession(Tenants.Of("default")))
        {
            var gone = (await session.Query<PushSubscriptionGone>().Where(g => g.Owner == owner).ToListAsync()).ShouldHaveSingleItem();
            gone.Failure.ShouldBe("http-410");
        }

        await server.Advance("PT2H");
        _push.To(phone).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_push_service_that_is_down_for_a_minute_gets_the_message_once_when_it_is_back()
    {
        var plan = await PlanWhoseConcernsEscalate();
        var phone = _push.Subscribe();
        phone.Answer = 503;
        await Subscribe(plan.Professional, phone);

        await RaiseConcern(plan);
        await server.Advance("PT0S");
        (await Events(plan, "notification-failed")).ShouldHaveSingleItem();
        phone.Answer = 201;
        await server.Advance("PT1M");
        await server.Advance("PT1H");

        _push.To(phone).Select(r => r.Answered).ShouldBe([503, 201]);
        (await Events(plan, "notification-sent")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task subscriptions_are_refused_to_anyone_but_a_member_or_professional_and_to_anything_but_a_push_endpoint_with_keys()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var phone = _push.Subscribe();

        (await server.As(null).Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.As("auditor-1", "auditor").Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("admin-1", "admin").Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As(null).SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me/push-subscriptions") { Content = JsonContent.Create(new { endpoint = phone.Endpoint }) }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // A member of no plan (any more) is nobody's member.
        (await server.As("x", $"member:{Guid.NewGuid()}").Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        async Task Invalid(object body, params string[] fields)
        {
            var response = await plan.Member.Post("/api/me/push-subscriptions", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Read<Problem>()).Errors!.Keys.Order().ShouldBe(fields.Order());
        }
        var keys = new { p256dh = phone.P256dh, auth = phone.AuthText };
        await Invalid(new { endpoint = "http://push.example/abc", keys }, "endpoint");
        await Invalid(new { endpoint = "ftp://127.0.0.1/abc", keys }, "endpoint");
        await Invalid(new { endpoint = "/push/abc", keys }, "endpoint");
        await Invalid(new { keys }, "endpoint");
        await Invalid(new { endpoint = phone.Endpoint, keys = new { p256dh = phone.AuthText, auth = phone.P256dh } }, "keys.p256dh", "keys.auth");
        var offCurve = PushService.FromBase64Url(phone.P256dh);
        offCurve[64] ^= 1;
        await Invalid(new { endpoint = phone.Endpoint, keys = new { p256dh = PushService.Base64Url(offCurve), auth = phone.AuthText } }, "keys.p256dh");
        await Invalid(new { endpoint = phone.Endpoint }, "keys.p256dh", "keys.auth");
        (await SubscriptionsOf($"member/{plan.PlanId}/{plan.MemberId}")).ShouldBeEmpty();

        var others = Enumerable.Range(0, PushSubscriptionEndpoints.MaxPerPerson).Select(_ => _push.Subscribe()).ToList();
        foreach (var other in others) await Subscribe(plan.Member, other);
        (await plan.Member.Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await Subscribe(plan.Member, others[0]); // one already there is no new one
        (await plan.Member.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me/push-subscriptions") { Content = JsonContent.Create(new { endpoint = others[0].Endpoint }) }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Subscribe(plan.Member, phone);
        (await SubscriptionsOf($"member/{plan.PlanId}/{plan.MemberId}")).Select(s => s.Endpoint).Order()
            .ShouldBe(others.Skip(1).Append(phone).Select(s => s.Endpoint).Order());
    }
}
