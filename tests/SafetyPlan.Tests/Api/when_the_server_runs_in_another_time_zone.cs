using System.Globalization;
using System.Net;
using System.Text;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// No answer depends on the server's own time zone (domain.md, "Times"). CI runs these tests under more than one
/// <c>TZ</c> (.ci/run: Pacific/Chatham, America/St_Johns), and says which in <c>SAFETYPLAN_TEST_TZ</c>; the in-process
/// test host is this process, so the zone it sees is <see cref="TimeZoneInfo.Local"/> here.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_the_server_runs_in_another_time_zone(ServerFixture server)
{
    [Fact]
    public void the_test_host_runs_in_the_zone_ci_asked_for()
    {
        var asked = Environment.GetEnvironmentVariable("SAFETYPLAN_TEST_TZ");
        if (string.IsNullOrEmpty(asked)) return; // a developer's run: whatever zone the machine has

        TimeZoneInfo.Local.Id.ShouldBe(asked);
        Environment.GetEnvironmentVariable("TZ").ShouldBe(asked);
        // Both zones CI uses are an odd number of half or quarter hours from UTC, so nothing passes by coincidence.
        (TimeZoneInfo.Local.BaseUtcOffset.Ticks % TimeSpan.TicksPerHour).ShouldNotBe(0);
    }

    [Fact]
    public async Task a_wall_clock_time_in_a_request_is_read_in_the_plans_zone_and_an_instant_without_offset_is_refused()
    {
        var plan = new PlanBuilder(server);
        var professional = plan.Professional;
        // Tokyo: no summer time, +09:00; and not the zone of any machine these tests run on (else Lima, -05:00).
        var (zone, offset) = TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.FromHours(9) ? ("America/Lima", -5) : ("Asia/Tokyo", 9);
        var id = await (await professional.Post("/api/plans", new { title = "T", family = "F", monitorId = plan.MonitorId, timeZone = zone })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{id}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await professional.Post($"/api/plans/{id}/agreements",
            new { text = "Bellen", responsibleMemberId = member, schedule = new { once = "2027-06-01T10:00" } })).CreatedId();
        (await professional.Post($"/api/plans/{id}/agree", new { evaluationDue = "2027-09-01" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var status = await (await professional.GetAsync($"/api/plans/{id}")).Json();
        status.GetProperty("agreements")[0].GetProperty("nextOccurrence").GetDateTimeOffset()
            .ShouldBe(new DateTimeOffset(2027, 6, 1, 10, 0, 0, TimeSpan.FromHours(offset)));

        var before = await server.DomainEvents(id);
        var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(2027, 6, 1, 10, 0, 0, TimeSpan.FromHours(offset)), TimeZoneInfo.Local)
            .ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture); // the occurrence, as the server's own clock reads it
        var checkIn = await server.As("oma", $"member:{member}").PostAsync($"/api/plans/{id}/check-ins", new StringContent(
            $$"""{"clientId":"tz","agreementId":"{{agreement}}","memberId":"{{member}}","outcome":"kept","occurrence":"{{local}}"}""", Encoding.UTF8, "application/json"));
        checkIn.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await checkIn.Content.ReadAsStringAsync());
        (await checkIn.Json()).GetProperty("errors").TryGetProperty("occurrence", out _).ShouldBeTrue();
        (await professional.GetAsync($"/api/plans/{id}?asOf={local}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.DomainEvents(id)).ShouldBe(before);
    }
}
