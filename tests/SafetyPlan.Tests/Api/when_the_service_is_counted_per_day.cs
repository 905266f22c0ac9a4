using System.Net;
using System.Text.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>The per-day statistics across an organisation's plans: an asynchronous projection, run by Wolverine on the one node.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_the_service_is_counted_per_day(ServerFixture server)
{
    [Fact]
    public async Task check_ins_and_escalations_are_counted_for_their_day_shortly_after()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(await server.Now(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        var before = await Day(plan.Professional, today);

        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        (await plan.CheckIn("kept")).EnsureSuccessStatusCode();

        // Asynchronous: the counts follow within seconds, not within the request.
        var until = DateTime.UtcNow.AddSeconds(30);
        var after = await Day(plan.Professional, today);
        while (after.NotKept < before.NotKept + 1 || after.Kept < before.Kept + 1 || after.EscalationsRaised < before.EscalationsRaised + 1)
        {
            DateTime.UtcNow.ShouldBeLessThan(until, "the daily statistics did not follow the events within 30 seconds");
            await Task.Delay(200);
            after = await Day(plan.Professional, today);
        }
        // Other tests report on the same day at the same time: at least ours, never fewer.
        after.NotKept.ShouldBeGreaterThanOrEqualTo(before.NotKept + 1);
        after.EscalationsRaised.ShouldBeGreaterThanOrEqualTo(before.EscalationsRaised + 1);
    }

    [Fact]
    public async Task each_organisation_counts_only_its_own_plans()
    {
        var organisation = $"stats-{Guid.NewGuid():N}"[..20];
        var monitor = server.As("monitor-s", "professional");
        monitor.DefaultRequestHeaders.Add("X-Organisation", organisation);
        var planId = await (await monitor.Post("/api/plans", new { title = "Veiligheidsplan", family = "Gezin", monitorId = "monitor-s" })).CreatedId();
        var member = await (await monitor.Post($"/api/plans/{planId}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await monitor.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Oma haalt op", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT4H", reportFrom = "P1D",
        })).CreatedId();
        (await monitor.Post($"/api/plans/{planId}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(await server.Now(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        (await monitor.Post($"/api/plans/{planId}/check-ins", new { clientId = "s1", agreementId = agreement, memberId = member, outcome = "not-kept" })).EnsureSuccessStatusCode();
        await Until(async () => (await Day(monitor, today)).NotKept == 1, "the organisation's own report was not counted");

        // A report in the default organisation is counted there, never in the other one.
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var before = await Day(plan.Professional, today);
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        await Until(async () => (await Day(plan.Professional, today)).NotKept >= before.NotKept + 1, "the default organisation's report was not counted");
        (await Day(monitor, today)).NotKept.ShouldBe(1);
    }

    private static async Task Until(Func<Task<bool>> condition, string failure)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(until, failure);
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task a_network_member_may_not_read_them()
    {
        var plan = await new PlanBuilder(server).Drafted();
        (await plan.Member.GetAsync("/api/statistics/daily")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As(null).GetAsync("/api/statistics/daily")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    public sealed record Counts(int Kept, int NotKept, int EscalationsRaised);

    public static async Task<Counts> Day(HttpClient client, DateOnly day)
    {
        var response = await client.GetAsync($"/api/statistics/daily?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var days = await response.Json();
        if (days.GetArrayLength() == 0) return new Counts(0, 0, 0);
        var d = days[0];
        return new Counts(d.GetProperty("kept").GetInt32(), d.GetProperty("notKept").GetInt32(), d.GetProperty("escalationsRaised").GetInt32());
    }
}
