using System.Text.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Replay shows not only the plan as it stood, but also what everyone had been told by then.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_auditor_replays_a_plan(ServerFixture server)
{
    private static JsonElement? EmailTo(JsonElement status, string userId) =>
        status.GetProperty("notifications").EnumerateArray()
            .Where(n => n.GetProperty("channel").GetString() == "email" && n.GetProperty("recipientUserId").GetString() == userId)
            .Select(n => (JsonElement?)n)
            .SingleOrDefault();

    [Fact]
    public async Task a_version_shows_the_escalation_e_mail_as_queued_and_the_present_shows_it_sent()
    {
        var plan = new PlanBuilder(server);
        var monitorEmail = await server.Professional(plan.MonitorId);
        await plan.Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        var auditor = server.As("auditor-1", "auditor");

        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        (await server.Smtp.WaitFor(monitorEmail, 1)).Count.ShouldBe(1);
        var history = (await (await auditor.GetAsync($"/api/plans/{plan.PlanId}/history")).Json()).EnumerateArray().ToList();
        var versionOf = (string type) => history.Where(e => e.GetProperty("type").GetString() == type).Max(e => e.GetProperty("version").GetInt32());
        var queued = versionOf("notification-queued");
        var sent = versionOf("notification-sent");
        sent.ShouldBeGreaterThan(queued);

        var beforeTheBreach = await (await auditor.GetAsync($"/api/plans/{plan.PlanId}?version={history.First(e => e.GetProperty("type").GetString() == "check-in-logged").GetProperty("version").GetInt32() - 1}")).Json();
        beforeTheBreach.GetProperty("notifications").GetArrayLength().ShouldBe(0);

        var whenQueued = EmailTo(await (await auditor.GetAsync($"/api/plans/{plan.PlanId}?version={queued}")).Json(), plan.MonitorId);
        whenQueued.ShouldNotBeNull();
        whenQueued.Value.GetProperty("subject").GetString().ShouldBe("escalation-raised");
        whenQueued.Value.GetProperty("delivery").GetString().ShouldBe("queued");
        whenQueued.Value.GetProperty("sentAt").ValueKind.ShouldBe(JsonValueKind.Null);

        var now = EmailTo(await (await auditor.GetAsync($"/api/plans/{plan.PlanId}")).Json(), plan.MonitorId);
        now.ShouldNotBeNull();
        now.Value.GetProperty("delivery").GetString().ShouldBe("sent");
        now.Value.GetProperty("sentAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task a_network_member_does_not_see_what_was_sent_to_whom()
    {
        var plan = new PlanBuilder(server);
        await server.Professional(plan.MonitorId);
        await plan.Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();

        (await plan.Status()).GetProperty("notifications").GetArrayLength().ShouldBeGreaterThan(0);
        var asMember = await (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}")).Json();
        asMember.GetProperty("notifications").GetArrayLength().ShouldBe(0);
    }
}
