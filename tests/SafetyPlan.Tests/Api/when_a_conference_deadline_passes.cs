using System.Net.Http.Json;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The referral's conference deadline in a server process of its own, killed and started again around it: the plan
/// turns amber once the last day has passed in the plan's zone, the history has one <c>conference-overdue</c>, and the
/// monitor gets one waiting-room e-mail, however often the node restarts and sweeps; a session held ends the waiting.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_conference_deadline_passes(ServerFixture server)
{
    // Received on 10 January with P14D: the first session is due by 24 January, overdue from 25 January 00:00 in Amsterdam.
    private static readonly DateTimeOffset Start = new(2027, 1, 20, 10, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset EndOfDueDay = new(2027, 1, 25, 0, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task a_missed_conference_deadline_turns_the_plan_amber_once_and_tells_the_monitor_once_across_restarts()
    {
        var database = await server.CreateDatabase("conference_deadline");
        var monitor = $"conference-monitor-{Guid.NewGuid():N}";
        var email = $"{monitor}@jeugdzorg.test";
        await using var node = new ServerProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = server.Smtp.Port.ToString(), ["Smtp__Security"] = "None",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await node.Start(Start);
        (await node.As("admin", "admin").PutAsync($"/api/users/{monitor}",
            JsonContent.Create(new { name = "Monitor", email, language = "en", roles = new[] { "professional" } }))).EnsureSuccessStatusCode();
        var professional = node.As(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new
        {
            title = "Veiligheidsplan Visser", family = "Visser", monitorId = monitor,
            referral = new { by = "Veilig Thuis", receivedOn = "2027-01-10", conferenceWithin = "P14D" },
        })).CreatedId();
        var oma = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma Greet", role = "network" })).CreatedId();
        Task<PlanStatus> Status() => professional.Get<PlanStatus>($"/api/plans/{plan}");
        async Task<int> Overdue() => (await professional.Get<List<HistoryEntry>>($"/api/plans/{plan}/history?type=conference-overdue")).Count;
        async Task Clock(object body) => (await node.As("clock", "admin").Post("/api/dev/clock", body)).EnsureSuccessStatusCode();

        (await Status()).ShouldSatisfyAllConditions(
            s => s.ConferenceDue.ShouldBe(new DateOnly(2027, 1, 24)), s => s.Status.ShouldBe(Colour.Green), s => s.ConferenceOverdue.ShouldBeFalse());

        // The last second of the due day in Amsterdam (23:59:59 UTC+1): still on time.
        await Clock(new { now = EndOfDueDay.AddSeconds(-1) });
        (await Status()).Status.ShouldBe(Colour.Green);
        (await Overdue()).ShouldBe(0);
        await node.Kill();

        // Started again six hours past the deadline: the new process's sweep finds it due.
        await node.Start(EndOfDueDay.AddHours(6));
        await Clock(new { advance = "PT0S" });
        var status = await Status();
        (status.Status, status.ConferenceOverdue, status.ConferenceDue).ShouldBe((Colour.Amber, true, new DateOnly(2027, 1, 24)));
        (await Overdue()).ShouldBe(1);
        var mails = await server.Smtp.WaitFor(email, 1, TimeSpan.FromSeconds(60));
        mails.Count.ShouldBe(1);

        // Killed and started again a day later, and swept again: nothing more is appended or sent.
        await node.Kill();
        await node.Start(EndOfDueDay.AddDays(1));
        await Clock(new { advance = "PT1H" });
        (await Overdue()).ShouldBe(1);
        (await Status()).Status.ShouldBe(Colour.Amber);
        (await professional.Get<List<HistoryEntry>>($"/api/plans/{plan}/history?type=notification-queued")).Count.ShouldBe(3); // e-mail, push, webhook
        await Task.Delay(TimeSpan.FromSeconds(3));
        server.Smtp.MessagesTo(email).Count.ShouldBe(1);

        // A waiting-room message (NTA 7516): what happened and a link, no family, title or referrer.
        var mail = mails.Single();
        mail.Subject.ShouldBe("Network conference of a safety plan is overdue");
        foreach (var secret in new[] { "Visser", "Veilig Thuis", "Oma Greet" })
        {
            mail.TextBody.ShouldNotContain(secret);
            mail.HtmlBody.ShouldNotContain(secret);
            mail.Subject.ShouldNotContain(secret);
        }
        mail.TextBody.ShouldContain($"/plans/{plan}");

        // A session, late as it is, ends the waiting: green again.
        (await professional.Post($"/api/plans/{plan}/conference-sessions", new { heldOn = "2027-01-26", membersPresent = new[] { oma } }))
            .StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        status = await Status();
        (status.Status, status.ConferenceOverdue, status.ConferenceDue).ShouldBe((Colour.Green, false, (DateOnly?)null));
    }
}
