using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Reachability end to end, with the real SMTP sink and the loopback push service: an e-mail refused for good (550) to
/// a member responsible for an agreement, with no push, leaves them unreachable and the plan amber, listed with the
/// reason and on the plan list with whom to call; a push subscription reaches them again, until the push service says
/// it is gone. Replays show it as it was known.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_can_no_longer_be_reached(ServerFixture server) : IDisposable
{
    private readonly PushService _push = new();

    public void Dispose() => _push.Dispose();

    private sealed record Given(HttpClient Professional, Guid PlanId, Guid MotherId, Guid AgreementId, string Email, string MonitorId)
    {
        public Task<PlanStatus> Status(string query = "") => Professional.Get<PlanStatus>($"/api/plans/{PlanId}{query}");
        public async Task<MemberStatus> Mother(string query = "") => (await Status(query)).Members.Single(m => m.Id == MotherId);
    }

    /// <summary>
    /// Mother calls the school every day about two hours from the clock's now (reminded half an hour before); nobody else
    /// has an agreement. Placed by the clock, so that the reminder comes before any occurrence can be missed: the plan is
    /// amber for want of a channel alone, whatever time earlier tests left the clock at.
    /// </summary>
    private async Task<Given> APlanWhoseMotherHasAnAddressTheMailServerRefuses()
    {
        var given = await APlanWhoseMotherIsRemindedByEmail();
        server.Smtp.Refuse(given.Email, "550 5.1.1 No such user");
        return given;
    }

    private async Task<Given> APlanWhoseMotherIsRemindedByEmail()
    {
        var local = TimeZoneInfo.ConvertTime(await server.Now(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).AddHours(2);
        var daily = new TimeOnly(local.Hour, local.Minute / 5 * 5).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var professional = server.As(monitor, "professional");
        var planId = await (await professional.Post("/api/plans", new { title = "Veiligheidsplan De Vries", family = "De Vries", monitorId = monitor })).CreatedId();
        var email = $"moeder-{Guid.NewGuid():N}@example.org";
        var mother = await (await professional.Post($"/api/plans/{planId}/members", new { name = "Moeder", role = "parent", email, phone = "06-12345678" })).CreatedId();
        var agreement = await (await professional.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Moeder belt elke dag de school.", responsibleMemberId = mother, schedule = new { daily }, grace = "PT2H",
        })).CreatedId();
        (await professional.Post($"/api/plans/{planId}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        return new Given(professional, planId, mother, agreement, email, monitor);
    }

    [Fact]
    public async Task a_refused_e_mail_without_push_turns_the_plan_amber_until_a_phone_subscribes_and_then_again_when_it_is_gone()
    {
        var given = await APlanWhoseMotherHasAnAddressTheMailServerRefuses();
        var before = await given.Status();
        (before.Status, (await given.Mother()).Reachable).ShouldBe((Colour.Green, true));

        await server.Advance("PT1H35M"); // the reminder half an hour before is e-mailed and refused for good; the occurrence is still to come
        await Eventually(async () => (await given.Mother()).Reachable == false);
        var refused = await given.Status();
        (refused.Status, refused.OpenBreaches, (await given.Mother()).UnreachableReason).ShouldBe((Colour.Amber, 0, "email-refused"));
        var listed = (await given.Professional.Get<List<PlanSummary>>($"/api/plans?monitorId={given.MonitorId}")).Single(p => p.Id == given.PlanId);
        (listed.Status, listed.Unreachable.ShouldHaveSingleItem()).ShouldBe((Colour.Amber, new UnreachableMember(given.MotherId, "Moeder", "06-12345678", "email-refused")));
        // The dashboard and the plan page say whom to call (the pages speak Dutch by default).
        var dashboard = await given.Professional.GetStringAsync("/dashboard");
        dashboard.ShouldContain("Geen bericht bereikt Moeder (de mailserver weigert het e-mailadres): Bel 06-12345678");
        (await given.Professional.GetStringAsync($"/plans/{given.PlanId}")).ShouldContain("Moeder: de mailserver weigert het e-mailadres. Bel 06-12345678");

        // Her phone subscribes: reached again. The status as it stood before still says what was known then.
        var phone = _push.Subscribe();
        var mother = server.As("moeder", $"member:{given.MotherId}");
        (await mother.Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await mother.Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Created); // a repeat adds nothing
        ((await given.Status()).Status, (await given.Mother()).Reachable).ShouldBe((Colour.Green, true));
        (await given.Mother($"?version={refused.Version}")).UnreachableReason.ShouldBe("email-refused");
        var history = await given.Professional.Get<List<HistoryEntry>>($"/api/plans/{given.PlanId}/history");
        history.Count(e => e.Type == "member-push-subscribed").ShouldBe(1);
        history.Single(e => e.Type == "member-push-subscribed").Data.GetRawText().ShouldNotContain(phone.Endpoint);

        // She reports today's call; the push service says the subscription is gone at tomorrow's reminder: nothing reaches her any more.
        (await mother.Post($"/api/plans/{given.PlanId}/check-ins", new { clientId = "call-1", agreementId = given.AgreementId, memberId = given.MotherId, outcome = "kept" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        phone.Answer = 410;
        await server.Advance("P1D");
        await Eventually(async () => (await given.Mother()).Reachable == false);
        ((await given.Status()).Status, (await given.Mother()).UnreachableReason).ShouldBe((Colour.Amber, "email-refused-and-push-gone"));
        _push.To(phone).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_message_the_mail_server_refuses_after_taking_the_address_ends_that_delivery_but_leaves_her_reachable()
    {
        var given = await APlanWhoseMotherIsRemindedByEmail();
        server.Smtp.RefuseMessagesTo(given.Email, "554 5.6.0 Message refused by content policy");

        await server.Advance("PT1H35M"); // the reminder is e-mailed, and refused at DATA for good
        await Eventually(async () => (await given.Status()).Notifications.Any(n => n.Failure == "smtp-data-554"));
        var status = await given.Status();
        status.Notifications.Single(n => n.Failure is not null).Delivery.ShouldBe("failed");
        (status.Status, (await given.Mother()).Reachable, (await given.Mother()).UnreachableReason).ShouldBe((Colour.Green, true, null));
        server.Smtp.MessagesTo(given.Email).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_member_without_an_address_is_reached_by_push_only_while_she_keeps_it_on()
    {
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var professional = server.As(monitor, "professional");
        var planId = await (await professional.Post("/api/plans", new { title = "Veiligheidsplan Bakker", family = "Bakker", monitorId = monitor })).CreatedId();
        var oma = await (await professional.Post($"/api/plans/{planId}/members", new { name = "Oma", role = "network" })).CreatedId();
        (await professional.Post($"/api/plans/{planId}/agreements", new { text = "Oma kookt op woensdag.", responsibleMemberId = oma, schedule = new { weekly = new[] { "wednesday" }, at = "17:00" }, grace = "PT2H" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await professional.Post($"/api/plans/{planId}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        MemberStatus Oma(PlanStatus status) => status.Members.Single(m => m.Id == oma);

        var status = await professional.Get<PlanStatus>($"/api/plans/{planId}");
        (status.Status, Oma(status).UnreachableReason).ShouldBe((Colour.Amber, "no-channel"));

        var phone = _push.Subscribe();
        var asOma = server.As("oma", $"member:{oma}");
        (await asOma.Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await professional.Get<PlanStatus>($"/api/plans/{planId}")).Status.ShouldBe(Colour.Green);
        // A member sees her own reachability only: whether others have an address or a phone is theirs.
        var seenByOma = await asOma.Get<PlanStatus>($"/api/plans/{planId}");
        Oma(seenByOma).Reachable.ShouldBe(true);

        var off = new HttpRequestMessage(HttpMethod.Delete, "/api/me/push-subscriptions") { Content = System.Net.Http.Json.JsonContent.Create(new { endpoint = phone.Endpoint }) };
        (await asOma.SendAsync(off)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        status = await professional.Get<PlanStatus>($"/api/plans/{planId}");
        (status.Status, Oma(status).UnreachableReason).ShouldBe((Colour.Amber, "no-channel"));
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(until, "the delivery's outcome was not recorded in time");
            await Task.Delay(50);
        }
    }
}
