using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using SafetyPlan.BottomLines;
using SafetyPlan.Plans;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Issue 12 part 5, "Times and bounds" (api-contract.md, "Times, limits and paging"): every instant carries its offset
/// whatever the server's own zone, schedules are read strictly, values outside the contract's bounds are 400 at the
/// door with the field named and nothing appended, and no stored value can make a plan fail later.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_times_and_limits_are_sent(ServerFixture server)
{
    private static async Task Refused(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Json()).GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(body);
        messages[0].GetString().ShouldNotBeNullOrWhiteSpace();
    }

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> Agreement(PlanBuilder plan, object schedule, string? grace = null) =>
        plan.Professional.Post($"/api/plans/{plan.PlanId}/agreements",
            new { text = "Oma belt", responsibleMemberId = plan.MemberId, schedule, grace });

    private Task<HttpResponseMessage> BottomLine(PlanBuilder plan, object rule, string? acknowledgeWithin = null) =>
        plan.Professional.Post($"/api/plans/{plan.PlanId}/bottom-lines", new { text = "Ingrijpen", rule, acknowledgeWithin });

    private async Task<DateOnly> Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(await server.Now(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task once_in_the_repeated_autumn_hour_given_with_its_offset_is_kept_as_that_instant_and_shown_back()
    {
        var plan = await new PlanBuilder(server).Drafted();

        var id = await (await Agreement(plan, new { once = "2027-10-31T02:30:00+01:00" })).CreatedId();
        // Raw JSON: how the contract writes the schedule back is what is checked.
        await plan.Agreed();

        var agreement = (await plan.StatusJson()).GetProperty("agreements").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id);
        agreement.GetProperty("schedule").GetProperty("once").GetString().ShouldBe("2027-10-31T02:30:00+01:00");
        agreement.GetProperty("nextOccurrence").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2027, 10, 31, 1, 30, 0, TimeSpan.Zero));
        var history = await (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history?type=agreement-made")).Json();
        history.EnumerateArray().Last().GetProperty("description").GetString()!.ShouldContain("once 2027-10-31 02:30 +01:00");
    }

    [Fact]
    public async Task once_as_a_local_date_time_is_in_the_plans_zone_and_any_other_form_is_400()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var id = await (await Agreement(plan, new { once = "2027-03-04T10:00" })).CreatedId();
        var before = await server.DomainEvents(plan.PlanId);

        await Refused(await Agreement(plan, new { once = "03-04-2027 10:00" }), "schedule.once");
        await Refused(await Agreement(plan, new { once = "2027-03-04 10:00" }), "schedule.once");
        await Refused(await Agreement(plan, new { once = "2027-03-04T10:00+0100" }), "schedule.once");
        await Refused(await Agreement(plan, new { once = "0001-01-01T00:00:00+01:00" }), "schedule.once");

        (await server.DomainEvents(plan.PlanId)).ShouldBe(before);
        var agreement = (await plan.StatusJson()).GetProperty("agreements").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id);
        agreement.GetProperty("schedule").GetProperty("once").GetString().ShouldBe("2027-03-04T10:00");
    }

    [Fact]
    public async Task weekdays_are_one_name_per_item_each_at_most_once()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var before = await server.DomainEvents(plan.PlanId);

        await Refused(await Agreement(plan, new { weekly = new[] { "monday,thursday" }, at = "19:00" }), "schedule.weekly"); // was: Fridays
        await Refused(await Agreement(plan, new { weekly = new[] { "monday", "monday" }, at = "19:00" }), "schedule.weekly");
        await Refused(await Agreement(plan, new { weekly = new[] { "1" }, at = "19:00" }), "schedule.weekly");

        (await server.DomainEvents(plan.PlanId)).ShouldBe(before);
        await (await Agreement(plan, new { weekly = new[] { "monday", "thursday" }, at = "19:00" })).CreatedId();
    }

    [Fact]
    public async Task an_instant_without_an_offset_is_400_wherever_it_is_sent()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var before = await server.TotalEvents();
        var now = await server.Now();
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.Local).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        var checkIn = await plan.Member.PostAsync($"/api/plans/{plan.PlanId}/check-ins", Raw(
            $$"""{"clientId":"no-offset","agreementId":"{{plan.AgreementId}}","memberId":"{{plan.MemberId}}","outcome":"kept","occurrence":"2027-01-04T15:00:00"}"""));
        await Refused(checkIn, "occurrence");
        (await checkIn.Json()).GetProperty("errors").GetProperty("occurrence")[0].GetString()!.ShouldContain("offset");
        var dutch = server.As("oma", $"member:{plan.MemberId}", language: "nl");
        var inDutch = await dutch.PostAsync($"/api/plans/{plan.PlanId}/check-ins", Raw(
            $$"""{"clientId":"no-offset-nl","agreementId":"{{plan.AgreementId}}","memberId":"{{plan.MemberId}}","outcome":"kept","occurrence":"{{local}}"}"""));
        (await inDutch.Json()).GetProperty("errors").GetProperty("occurrence")[0].GetString()!.ShouldContain("met een offset");
        await Refused(await server.As("clock", "admin").PostAsync("/api/dev/clock", Raw($$"""{"now":"{{local}}"}""")), "now");
        await Refused(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}?asOf={local}"), "asOf");
        await Refused(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}?asOf=2027-01-04"), "asOf");
        await Refused(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history?from={local}"), "from");
        await Refused(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history?to=yesterday"), "to");

        (await server.TotalEvents()).ShouldBe(before);
        (await server.Now()).ShouldBe(now);
        var asOf = Uri.EscapeDataString(now.ToString("O", CultureInfo.InvariantCulture));
        (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}?asOf={asOf}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task as_of_later_than_now_is_400_at_once_also_for_a_member()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var later = Uri.EscapeDataString((await server.Now()).AddSeconds(1).ToString("O", CultureInfo.InvariantCulture));
        var watch = Stopwatch.StartNew();

        await Refused(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}?asOf={later}"), "asOf");
        await Refused(await plan.Member.GetAsync($"/api/plans/{plan.PlanId}?asOf=9999-12-01T00:00:00Z"), "asOf"); // was: 3 s of CPU
        await Refused(await plan.Member.GetAsync($"/api/plans/{plan.PlanId}?asOf=9999-12-30T00:00:00Z"), "asOf"); // was: 500
        await Refused(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}?asOf=9999-12-31T23:59:59.9999999Z"), "asOf");

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}?asOf=0001-01-01T00:00:00Z")).StatusCode.ShouldBe(HttpStatusCode.NotFound); // before the plan
    }

    [Fact]
    public async Task durations_and_counts_outside_the_contracts_bounds_are_400_and_at_its_edges_are_accepted()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var before = await server.DomainEvents(plan.PlanId);
        var daily = new { daily = "18:00" };

        await Refused(await Agreement(plan, daily, grace: "PT4M59S"), "grace");
        await Refused(await Agreement(plan, daily, grace: "P7DT1S"), "grace");
        await Refused(await Agreement(plan, daily, grace: "PT0S"), "grace");
        await Refused(await Agreement(plan, daily, grace: "P10675199D"), "grace");
        await Refused(await BottomLine(plan, new { kind = "concern", minSeverity = "high" }, acknowledgeWithin: "PT4M"), "acknowledgeWithin");
        await Refused(await BottomLine(plan, new { kind = "concern", minSeverity = "high" }, acknowledgeWithin: "P8D"), "acknowledgeWithin");
        await Refused(await BottomLine(plan, new { kind = "breaches", count = 2, within = "P800000D" }), "rule.within");
        await Refused(await BottomLine(plan, new { kind = "breaches", count = 2, within = "P367D" }), "rule.within");
        await Refused(await BottomLine(plan, new { kind = "breaches", count = 2, within = "PT59M" }), "rule.within");
        await Refused(await BottomLine(plan, new { kind = "breaches", count = 2 }), "rule.within");
        await Refused(await BottomLine(plan, new { kind = "silence", @for = "P91D" }), "rule.for");
        await Refused(await BottomLine(plan, new { kind = "silence", @for = "PT59M" }), "rule.for");
        foreach (var count in new long[] { 0, -1, 101, int.MaxValue })
            await Refused(await BottomLine(plan, new { kind = "missed-in-a-row", count }), "rule.count");
        await Refused(await plan.Professional.PostAsync($"/api/plans/{plan.PlanId}/bottom-lines",
            Raw("""{"text":"x","rule":{"kind":"missed-in-a-row","count":2147483648}}""")), "rule.count");
        await Refused(await plan.Professional.PostAsync($"/api/plans/{plan.PlanId}/bottom-lines",
            Raw("""{"text":"x","rule":{"kind":"missed-in-a-row","count":1e309}}""")), "rule.count");

        (await server.DomainEvents(plan.PlanId)).ShouldBe(before);

        await (await Agreement(plan, daily, grace: "PT5M")).CreatedId();
        await (await Agreement(plan, daily, grace: "P7D")).CreatedId();
        await (await BottomLine(plan, new { kind = "concern", minSeverity = "high" }, acknowledgeWithin: "PT5M")).CreatedId();
        await (await BottomLine(plan, new { kind = "concern", minSeverity = "high" }, acknowledgeWithin: "P7D")).CreatedId();
        await (await BottomLine(plan, new { kind = "breaches", count = 1, within = "PT1H" })).CreatedId();
        await (await BottomLine(plan, new { kind = "breaches", count = 100, within = "P366D" })).CreatedId();
        await (await BottomLine(plan, new { kind = "silence", @for = "PT1H" })).CreatedId();
        await (await BottomLine(plan, new { kind = "silence", @for = "P90D" })).CreatedId();
    }

    [Fact]
    public async Task text_longer_than_its_documented_bound_is_400()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var before = await server.DomainEvents(plan.PlanId);

        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/agreements",
            new { text = new string('x', 2001), responsibleMemberId = plan.MemberId, schedule = new { daily = "18:00" } }), "text");
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/members",
            new { name = "Oom", role = "network", email = new string('x', 320) + "@example.org" }), "email");
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/goals", new { danger = new string('d', 2001), goal = "g" }), "danger");

        (await server.DomainEvents(plan.PlanId)).ShouldBe(before);
        var document = await (await server.As("admin-1", "admin").GetAsync("/openapi/v1.json")).Json();
        document.GetProperty("components").GetProperty("schemas").GetProperty("MakeAgreementRequest")
            .GetProperty("properties").GetProperty("text").GetProperty("maxLength").GetInt32().ShouldBe(2000);
    }

    [Fact]
    public async Task an_evaluation_is_due_after_today_and_at_most_two_years_ahead()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var today = await Today();
        var before = await server.DomainEvents(plan.PlanId);

        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = "9999-12-31" }), "evaluationDue"); // was: 500
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = Day(today.AddYears(2).AddDays(1)) }), "evaluationDue");
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = Day(today) }), "evaluationDue");
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = "0001-01-01" }), "evaluationDue");
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = "2027-02-30" }), "evaluationDue");
        (await server.DomainEvents(plan.PlanId)).ShouldBe(before);

        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/agree", new { evaluationDue = Day(today.AddYears(2)) })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var agreed = await server.DomainEvents(plan.PlanId);
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations",
            new { outcome = "continue", notes = "Gaat goed.", nextEvaluationDue = "9999-12-31" }), "nextEvaluationDue");
        await Refused(await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations",
            new { outcome = "continue", notes = "Gaat goed.", nextEvaluationDue = Day(today.AddYears(2).AddDays(1)) }), "nextEvaluationDue");
        (await server.DomainEvents(plan.PlanId)).ShouldBe(agreed);
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations",
            new { outcome = "continue", notes = "Gaat goed.", nextEvaluationDue = Day(today.AddYears(2)) })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task values_stored_before_the_bounds_existed_no_longer_break_the_plan_or_the_sweep()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "concern", minSeverity = "high" });
        await plan.Agreed();
        // What the door accepted before: a window of 2,190 years, a silence of as long, an evaluation in year 9999.
        await using (var session = server.Store.LightweightSession())
        {
            var at = await server.Now();
            session.Events.Append(plan.PlanId,
                new BottomLineSet(Guid.NewGuid(), "Twee schendingen", new BottomLineRule(RuleKind.Breaches, Count: 2, Within: TimeSpan.FromDays(800000)), TimeSpan.FromHours(4), at),
                new BottomLineSet(Guid.NewGuid(), "Stilte", new BottomLineRule(RuleKind.Silence, For: TimeSpan.FromDays(800000)), TimeSpan.FromHours(4), at),
                new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Continue, "Oud", new DateOnly(9999, 12, 31), 1, at));
            await session.SaveChangesAsync();
        }

        foreach (var i in Enumerable.Range(1, 2))
            (await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = $"old-bound-{i}", memberId = plan.MemberId, text = "Zorg", severity = "medium" }))
                .StatusCode.ShouldBe(HttpStatusCode.Created); // was: 500, and the concern lost
        (await server.Advance("PT1H")).ShouldBeGreaterThan(ServerFixture.Start); // the sweep runs over the plan
        var history = await (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history?type=bottom-line-crossed")).Json();
        history.GetArrayLength().ShouldBe(1); // the second breach within the (saturated) window
        (await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/deadlines")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task history_without_take_answers_at_most_a_thousand_events_with_the_total_and_the_next_page()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await using (var session = server.Store.LightweightSession())
        {
            var at = await server.Now();
            session.Events.Append(plan.PlanId, Enumerable.Range(0, 1100)
                .Select(i => (object)new SafetyGoalSet(Guid.NewGuid(), $"Gevaar {i}", $"Doel {i}", at)).ToArray());
            await session.SaveChangesAsync();
        }

        var first = await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history?type=safety-goal-set");
        (await first.Json()).GetArrayLength().ShouldBe(1000);
        first.Headers.GetValues("X-Total-Count").Single().ShouldBe("1101"); // the builder's goal and these
        var next = first.Headers.GetValues("Link").Single();
        next.ShouldBe($"</api/plans/{plan.PlanId}/history?type=safety-goal-set&skip=1000&take=1000>; rel=\"next\"");

        var second = await plan.Professional.GetAsync(next[1..next.IndexOf('>')]);
        (await second.Json()).GetArrayLength().ShouldBe(101);
        second.Headers.Contains("Link").ShouldBeFalse();

        var all = await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history");
        (await all.Json()).GetArrayLength().ShouldBe(1000);
        int.Parse(all.Headers.GetValues("X-Total-Count").Single(), CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1104);
        all.Headers.GetValues("Link").Single().ShouldEndWith("skip=1000&take=1000>; rel=\"next\"");
        var paged = await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history?skip=10&take=5");
        (await paged.Json()).EnumerateArray().First().GetProperty("version").GetInt64().ShouldBe(11);
        paged.Headers.GetValues("Link").Single().ShouldContain("skip=15&take=5");
        await Refused(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history?take=1001"), "take");
    }

    [Fact]
    public async Task the_manual_clock_goes_no_further_than_the_year_9000()
    {
        var clock = server.As("clock", "admin");
        var now = await server.Now();

        await Refused(await clock.Post("/api/dev/clock", new { now = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero) }), "now");
        await Refused(await clock.Post("/api/dev/clock", new { advance = "P10000000D" }), "advance");

        (await server.Now()).ShouldBe(now);
    }
}
