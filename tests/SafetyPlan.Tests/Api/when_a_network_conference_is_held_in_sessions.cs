using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The referral and the conference in sessions through the contract (../shared/api-contract.md, "The practice around
/// the plan"): a plan drafted with a referral waits for its first session until one is held; a session sent again is the
/// same session; only the plan's professionals record one; the status, the history and the case file show them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_network_conference_is_held_in_sessions(ServerFixture server)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private async Task<DateOnly> Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(await server.Now(), Amsterdam).DateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A draft of its own monitor and backup, with a referral received three days ago (six weeks to the conference) and oma in its network.</summary>
    private sealed record Referred(Guid PlanId, Guid Oma, string MonitorId, string BackupId, DateOnly Received, ServerFixture Server)
    {
        public HttpClient Professional => Server.As(MonitorId, "professional");
        public HttpClient Member => Server.As("oma", $"member:{Oma}");
        public Task<PlanStatus> Status() => Professional.Get<PlanStatus>($"/api/plans/{PlanId}");
    }

    private async Task<Referred> Draft()
    {
        var received = (await Today()).AddDays(-3);
        var (monitor, backup) = ($"monitor-{Guid.NewGuid():N}", $"backup-{Guid.NewGuid():N}");
        var professional = server.As(monitor, "professional");
        var planId = await (await professional.Post("/api/plans", new
        {
            title = "Veiligheidsplan De Boer", family = "De Boer", monitorId = monitor, backupId = backup,
            referral = new { by = "Veilig Thuis", receivedOn = Day(received), conferenceWithin = "P6W" },
        })).CreatedId();
        var oma = await (await professional.Post($"/api/plans/{planId}/members", new { name = "Oma Jannie", role = "network" })).CreatedId();
        return new Referred(planId, oma, monitor, backup, received, server);
    }

    [Fact]
    public async Task a_referred_plan_waits_for_its_first_session_and_the_same_session_sent_again_is_one_session()
    {
        var plan = await Draft();
        var (oma, received) = (plan.Oma, plan.Received);
        var status = await plan.Status();
        status.Referral.ShouldBe(new ReferralStatus("Veilig Thuis", received, "P42D", received.AddDays(42)));
        (status.ConferenceDue, status.ConferenceOverdue, status.Status).ShouldBe((received.AddDays(42), false, Colour.Green));
        status.ConferenceSessions.ShouldNotBeNull().ShouldBeEmpty();
        (await plan.Professional.Get<List<PlanSummary>>("/api/plans")).Single(p => p.Id == plan.PlanId).ConferenceDue.ShouldBe(received.AddDays(42));

        var heldOn = received.AddDays(1);
        var session = new { heldOn = Day(heldOn), membersPresent = new[] { oma }, professionalsPresent = new[] { plan.MonitorId, "veilig-thuis-1" }, notes = "Zorgen in kaart" };
        var created = await plan.Professional.Post($"/api/plans/{plan.PlanId}/conference-sessions", session);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = await created.CreatedId();
        var versionAfterOne = await server.StreamVersion(plan.PlanId);

        var again = await plan.Professional.Post($"/api/plans/{plan.PlanId}/conference-sessions", session);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Json()).GetProperty("id").GetGuid().ShouldBe(id);
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/conference-sessions", session with { notes = "Iets anders" }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await server.StreamVersion(plan.PlanId)).ShouldBe(versionAfterOne);

        status = await plan.Status();
        status.ConferenceSessions.ShouldNotBeNull().ShouldHaveSingleItem()
            .ShouldBe(new ConferenceSessionStatus(id, heldOn, new([oma]), new([plan.MonitorId, "veilig-thuis-1"]), "Zorgen in kaart"));
        (status.ConferenceDue, status.ConferenceOverdue).ShouldBe((null, false));
        // A member sees who was there, not the professionals' minutes.
        (await plan.Member.Get<PlanStatus>($"/api/plans/{plan.PlanId}")).ConferenceSessions.ShouldNotBeNull().ShouldHaveSingleItem().Notes.ShouldBeNull();

        var history = await plan.Professional.Get<List<HistoryEntry>>($"/api/plans/{plan.PlanId}/history");
        history.Select(h => h.Type).ShouldContain("referral-recorded");
        history.Single(h => h.Type == "conference-session-held").Description.ShouldNotBeNull().ShouldContain("Zorgen in kaart");
        var caseFile = await (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/export?format=html")).Content.ReadAsStringAsync();
        caseFile.ShouldContain("Veilig Thuis");
        caseFile.ShouldContain("Oma Jannie");
    }

    [Fact]
    public async Task a_wrong_referral_or_session_is_refused_naming_the_field_and_appends_nothing()
    {
        var today = await Today();
        var professional = server.As("bounds-monitor", "professional");
        async Task<Problem> Refused(HttpResponseMessage response, HttpStatusCode status)
        {
            response.StatusCode.ShouldBe(status);
            return await response.Read<Problem>();
        }

        var draft = (object referral) => professional.Post("/api/plans", new { title = "t", family = "f", monitorId = "bounds-monitor", referral });
        (await Refused(await draft(new { by = "Veilig Thuis", receivedOn = Day(today.AddDays(1)) }), HttpStatusCode.BadRequest))
            .Errors!.Keys.ShouldBe(["referral.receivedOn"]);
        (await Refused(await draft(new { by = "Veilig Thuis", receivedOn = Day(today), conferenceWithin = "P1Y" }), HttpStatusCode.BadRequest))
            .Errors!.Keys.ShouldBe(["referral.conferenceWithin"]);

        var plan = await Draft();
        var (oma, received) = (plan.Oma, plan.Received);
        var before = await server.StreamVersion(plan.PlanId);
        var sessions = $"/api/plans/{plan.PlanId}/conference-sessions";
        (await Refused(await plan.Professional.Post(sessions, new { heldOn = Day(today.AddDays(1)), membersPresent = new[] { oma } }), HttpStatusCode.BadRequest))
            .Errors!.Keys.ShouldBe(["heldOn"]);
        (await Refused(await plan.Professional.Post(sessions, new { heldOn = Day(received.AddDays(-1)), membersPresent = new[] { oma } }), HttpStatusCode.BadRequest))
            .Errors!.Keys.ShouldBe(["heldOn"]);
        var stranger = Guid.NewGuid();
        (await Refused(await plan.Professional.Post(sessions, new { heldOn = Day(today), membersPresent = new[] { oma, stranger } }), HttpStatusCode.NotFound))
            .Detail.ShouldNotBeNull().ShouldContain(stranger.ToString());
        // Nobody present (no members and no professionals) is no session.
        foreach (object nobody in new object[] { new { heldOn = Day(today) }, new { heldOn = Day(today), membersPresent = Array.Empty<Guid>(), professionalsPresent = Array.Empty<string>() } })
            (await Refused(await plan.Professional.Post(sessions, nobody), HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["membersPresent"]);
        (await server.StreamVersion(plan.PlanId)).ShouldBe(before);
    }

    [Fact]
    public async Task the_status_lists_the_sessions_by_date_also_when_an_earlier_day_is_recorded_later()
    {
        var plan = await Draft();
        var today = await Today();
        var sessions = $"/api/plans/{plan.PlanId}/conference-sessions";
        (await plan.Professional.Post(sessions, new { heldOn = Day(today), membersPresent = new[] { plan.Oma } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Professional.Post(sessions, new { heldOn = Day(today.AddDays(-2)), membersPresent = new[] { plan.Oma } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Status()).ConferenceSessions!.Select(s => s.HeldOn).ShouldBe([today.AddDays(-2), today]);
    }

    [Fact]
    public async Task only_the_plans_professionals_record_a_session()
    {
        var plan = await Draft();
        var oma = plan.Oma;
        var body = new { heldOn = Day(await Today()), membersPresent = new[] { oma } };
        var sessions = $"/api/plans/{plan.PlanId}/conference-sessions";
        var before = await server.StreamVersion(plan.PlanId);

        (await server.As("someone-else", "professional").Post(sessions, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await plan.Member.Post(sessions, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("auditor-1", "auditor").Post(sessions, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As(null).Post(sessions, body)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.StreamVersion(plan.PlanId)).ShouldBe(before);

        (await server.As(plan.BackupId, "professional").Post(sessions, body)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
