using System.Net;
using System.Text.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>The per-day statistics across all plans: an asynchronous projection, run by Wolverine on the one node.</summary>
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
