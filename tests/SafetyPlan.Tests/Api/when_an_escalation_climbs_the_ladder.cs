using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Issue 15, 3: an escalation nobody acknowledges goes to the backup and then to the organisation's duty professional
/// (<c>dutyUserId</c>), each after the bottom line's acknowledge time and each exactly once, also when the server is
/// killed with SIGKILL between the steps; the duty professional then sees it, reads the plan and acknowledges it.
/// A server process of its own, on the manual clock, with the real SMTP sink.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_escalation_climbs_the_ladder(ServerFixture server)
{
    [Fact]
    public async Task it_reaches_the_backup_and_then_the_duty_professional_once_each_across_a_kill_and_the_duty_acknowledges_it()
    {
        var database = await server.CreateDatabase("ladder");
        var unique = Guid.NewGuid().ToString("N")[..8];
        var (monitor, backup, duty) = ($"monitor-{unique}", $"backup-{unique}", $"duty-{unique}");
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = server.Smtp.Port.ToString(), ["Smtp__Security"] = "None",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await node.Start(ServerFixture.Start);
        var admin = node.As("admin", "admin");
        foreach (var user in new[] { monitor, backup, duty })
            (await admin.PutAsync($"/api/users/{user}", JsonContent.Create(new { name = user, email = $"{user}@jeugdzorg.test", language = "nl", roles = new[] { "professional" } })))
                .EnsureSuccessStatusCode();
        // The ladder's last step must reach someone: an id nobody holds is refused.
        (await admin.PutAsync("/api/organisations/default", JsonContent.Create(new { dutyUserId = $"crisisdienst-{unique}" }))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PutAsync("/api/organisations/default", JsonContent.Create(new { dutyUserId = duty }))).EnsureSuccessStatusCode();

        var professional = node.As(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Ladder", family = "F", monitorId = monitor, backupId = backup })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Ophalen", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ernstige zorg", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT4H" })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();
        (await professional.Post($"/api/plans/{plan}/concerns", new { clientId = "c1", memberId = member, text = "Zorg", severity = "high" })).EnsureSuccessStatusCode();
        var escalation = (await (await professional.GetAsync("/api/escalations?state=open")).Json()).EnumerateArray().Single();
        var escalationId = escalation.GetProperty("id").GetGuid();
        escalation.GetProperty("dutyId").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        // The duty professional has nothing to do with the plan yet.
        var dutyClient = node.As(duty, "professional");
        (await dutyClient.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await dutyClient.Post($"/api/escalations/{escalationId}/acknowledge", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var clock = node.As("clock", "admin");
        (await clock.Post("/api/dev/clock", new { advance = "PT4H" })).EnsureSuccessStatusCode(); // the monitor's time is up
        await node.Kill();
        await node.Start(ServerFixture.Start.AddHours(4)); // the manual clock starts where it stood
        (await clock.Post("/api/dev/clock", new { advance = "PT3H59M" })).EnsureSuccessStatusCode();
        (await (await dutyClient.GetAsync("/api/escalations")).Json()).GetArrayLength().ShouldBe(0, "a minute before the backup's time is up");
        (await clock.Post("/api/dev/clock", new { advance = "PT1M" })).EnsureSuccessStatusCode(); // the backup's time is up
        await node.Kill();
        await node.Start(ServerFixture.Start.AddHours(8));
        (await clock.Post("/api/dev/clock", new { advance = "P1D" })).EnsureSuccessStatusCode(); // and much later: nothing more

        var seen = (await (await dutyClient.GetAsync("/api/escalations?state=open")).Json()).EnumerateArray().Single();
        seen.GetProperty("dutyId").GetString().ShouldBe(duty);
        seen.GetProperty("step").GetString().ShouldBe("duty");
        var raisedAt = seen.GetProperty("raisedAt").GetDateTimeOffset();
        (seen.GetProperty("passedToBackupAt").GetDateTimeOffset() - raisedAt).ShouldBe(TimeSpan.FromHours(4));
        (seen.GetProperty("passedToDutyAt").GetDateTimeOffset() - raisedAt).ShouldBe(TimeSpan.FromHours(8));
        (await dutyClient.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dutyClient.Post($"/api/escalations/{escalationId}/acknowledge", new { note = "Ik neem het over" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var acknowledged = (await (await dutyClient.GetAsync("/api/escalations")).Json()).EnumerateArray().Single();
        acknowledged.GetProperty("acknowledgedBy").GetString().ShouldBe(duty);
        acknowledged.GetProperty("minutesToAcknowledge").GetDouble().ShouldBe(8 * 60 + 24 * 60, 0.1);
        // Duty responds to the escalation, and does nothing else to a plan that is not theirs ...
        (await dutyClient.Post($"/api/plans/{plan}/members", new { name = "Buurman", role = "network" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await dutyClient.Post($"/api/plans/{plan}/members/{member}/links", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // ... and reads it only while an escalation passed to them is open.
        (await dutyClient.Post($"/api/escalations/{escalationId}/resolve", new { note = "Gezin gesproken, veiligheid hersteld" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dutyClient.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await professional.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // One e-mail per step and recipient, whatever the kills: the monitor when raised, the backup, then duty.
        (await server.Smtp.WaitFor($"{monitor}@jeugdzorg.test", 1, TimeSpan.FromSeconds(30))).Count.ShouldBe(1);
        (await server.Smtp.WaitFor($"{backup}@jeugdzorg.test", 1, TimeSpan.FromSeconds(30))).Count.ShouldBe(1);
        var toDuty = await server.Smtp.WaitFor($"{duty}@jeugdzorg.test", 1, TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        server.Smtp.MessagesTo($"{duty}@jeugdzorg.test").Count.ShouldBe(1);
        server.Smtp.MessagesTo($"{backup}@jeugdzorg.test").Count.ShouldBe(1);
        toDuty.Single().Headers["X-SafetyPlan-Delivery"]!.ShouldContain("escalationpassedtoduty");

        var history = await professional.GetFromJsonAsync<List<HistoryEntry>>($"/api/plans/{plan}/history", ServerFixture.Json);
        history!.Where(e => e.Type.Contains("duty", StringComparison.OrdinalIgnoreCase) && e.Type.Contains("escalation", StringComparison.OrdinalIgnoreCase))
            .ShouldHaveSingleItem().Description!.ShouldContain(duty);
    }
}
