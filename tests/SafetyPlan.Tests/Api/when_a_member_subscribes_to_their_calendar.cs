using System.Net;
using System.Net.Http.Json;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Marten;
using SafetyPlan.Audit;
using SafetyPlan.Organisations;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// <c>GET /l/{token}/calendar.ics</c>: the member's agreements as an iCalendar feed that a calendar client (here
/// Ical.Net's own parser) reads as recurring events at the right local times in the plan's zone, also across a change
/// of the clocks, each with an alarm <c>remindBefore</c> ahead; the feed ends when the link is revoked.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_subscribes_to_their_calendar(ServerFixture server)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private sealed record IssuedLink(Guid Id, string Url, DateTimeOffset ExpiresAt);

    private static async Task<IssuedLink> Issue(PlanBuilder plan)
    {
        var response = await plan.Professional.Post($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links", new { });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<IssuedLink>();
    }

    private static string Feed(IssuedLink link) => new Uri(link.Url).AbsolutePath + "/calendar.ics";

    /// <summary>A plan whose member has a daily 08:00 agreement (remind 45 minutes before), a weekly one, and one that is someone else's.</summary>
    private async Task<(PlanBuilder Plan, Guid Daily, Guid Weekly)> Plan()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var daily = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/agreements", new
        {
            text = "Oma belt elke ochtend om 08:00.", responsibleMemberId = plan.MemberId, goalId = plan.GoalId,
            schedule = new { daily = "08:00" }, grace = "PT1H", remindBefore = "PT45M",
        })).CreatedId();
        var weekly = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/agreements", new
        {
            text = "Huisbezoek", responsibleMemberId = plan.MemberId, goalId = plan.GoalId,
            schedule = new { weekly = new[] { "monday", "thursday" }, at = "19:30" }, grace = "PT2H",
        })).CreatedId();
        var neighbour = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman", role = "network" })).CreatedId();
        await plan.Professional.Post($"/api/plans/{plan.PlanId}/agreements", new
        {
            text = "Buurman kijkt mee", responsibleMemberId = neighbour, goalId = plan.GoalId, schedule = new { daily = "12:00" }, grace = "PT1H",
        });
        await plan.Agreed();
        return (plan, daily, weekly);
    }

    [Fact]
    public async Task the_feed_parses_and_its_agreements_recur_at_the_same_local_time_on_both_sides_of_the_clock_change_with_an_alarm()
    {
        var (plan, daily, weekly) = await Plan();
        var link = await Issue(plan);

        var response = await server.As(null).GetAsync(Feed(link));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        (response.Headers.CacheControl!.Private, response.Headers.CacheControl.NoStore).ShouldBe((true, true));
        var text = await response.Content.ReadAsStringAsync();
        var calendar = Ical.Net.Calendar.Load(text)!;
        calendar.TimeZones.ShouldHaveSingleItem().TzId.ShouldBe("Europe/Amsterdam");
        text.ShouldContain("BEGIN:VTIMEZONE");
        text.ShouldContain("BEGIN:DAYLIGHT"); // the zone's rules themselves, for clients that do not know the IANA name
        text.ShouldContain("BEGIN:STANDARD");
        calendar.Events.Select(e => e.Uid).Order().ShouldBe(new[] { plan.AgreementId, daily, weekly }.Select(a => $"{a}@safetyplan").Order()); // not the neighbour's
        text.ShouldNotContain("Buurman");

        var morning = calendar.Events.Single(e => e.Uid == $"{daily}@safetyplan");
        morning.Summary.ShouldBe("Oma belt elke ochtend om 08:00.");
        morning.RecurrenceRules.ShouldHaveSingleItem().Frequency.ShouldBe(Ical.Net.FrequencyType.Daily);
        morning.DtStart!.TzId.ShouldBe("Europe/Amsterdam");
        var alarm = morning.Alarms.ShouldHaveSingleItem();
        alarm.Trigger!.Duration!.Value.ToTimeSpanUnspecified().ShouldBe(TimeSpan.FromMinutes(-45));

        // The next change of the clocks after today (28 March 2027 at the clock's start): 08:00 in Amsterdam is an hour
        // earlier or later in UTC on either side of it, and 08:00 local on every day.
        var change = NextClockChange(await server.Now());
        var from = change.AddDays(-2);
        var around = morning.GetOccurrences(new CalDateTime(from.Year, from.Month, from.Day, 0, 0, 0, "Europe/Amsterdam"))
            .Take(5).Select(o => new DateTimeOffset(o.Period.StartTime.AsUtc, TimeSpan.Zero)).ToList();
        around.Select(o => TimeZoneInfo.ConvertTime(o, Amsterdam).DateTime).ShouldBe(
            Enumerable.Range(0, 5).Select(d => from.AddDays(d).ToDateTime(new TimeOnly(8, 0))));
        around.Select(o => o.UtcDateTime.Hour).Distinct().Count().ShouldBe(2);
        (around[1] - around[0]).ShouldBe(TimeSpan.FromDays(1));
        (around[2] - around[1]).ShouldNotBe(TimeSpan.FromDays(1)); // the night the clocks change is 23 or 25 hours

        var visits = calendar.Events.Single(e => e.Uid == $"{weekly}@safetyplan");
        visits.Alarms.ShouldHaveSingleItem().Trigger!.Duration!.Value.ToTimeSpanUnspecified().ShouldBe(TimeSpan.FromMinutes(-30)); // the default
        var week = visits.GetOccurrences(new CalDateTime(from.Year, from.Month, from.Day, 0, 0, 0, "Europe/Amsterdam")).Take(4)
            .Select(o => TimeZoneInfo.ConvertTime(new DateTimeOffset(o.Period.StartTime.AsUtc, TimeSpan.Zero), Amsterdam).DateTime).ToList();
        week.ShouldAllBe(t => t.TimeOfDay == new TimeSpan(19, 30, 0) && (t.DayOfWeek == DayOfWeek.Monday || t.DayOfWeek == DayOfWeek.Thursday));
        week.Select(t => t.Date).Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public async Task a_draft_plans_feed_has_no_events_and_once_agreed_they_start_at_the_first_occurrence_after_the_agreement()
    {
        await server.AdvanceToNext(new TimeOnly(9, 0));
        var plan = await new PlanBuilder(server).Drafted();
        var daily = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/agreements", new
        {
            text = "Oma belt elke ochtend om 08:00.", responsibleMemberId = plan.MemberId, goalId = plan.GoalId,
            schedule = new { daily = "08:00" }, grace = "PT1H", remindBefore = "PT45M",
        })).CreatedId();
        var link = await Issue(plan);

        var draft = await server.As(null).GetStringAsync(Feed(link));
        Ical.Net.Calendar.Load(draft)!.Events.ShouldBeEmpty(); // nothing is in force yet: no reminders on the phone either
        draft.ShouldNotContain("BEGIN:VEVENT");
        draft.ShouldNotContain("BEGIN:VALARM");

        // Agreed three days later at 09:00: the first 08:00 that counts is the next morning's, not the one after the agreement was written.
        var agreedAt = await server.Advance("P3D");
        await plan.Agreed();
        var calendar = Ical.Net.Calendar.Load(await server.As(null).GetStringAsync(Feed(link)))!;
        var morning = calendar.Events.Single(e => e.Uid == $"{daily}@safetyplan");
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(agreedAt, Amsterdam).DateTime).AddDays(1);
        morning.DtStart!.TzId.ShouldBe("Europe/Amsterdam");
        morning.DtStart.Value.ShouldBe(firstDay.ToDateTime(new TimeOnly(8, 0)));
        morning.Alarms.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task a_member_who_turned_reminders_off_gets_no_alarms_in_the_feed_and_gets_them_again_when_turned_on()
    {
        var (plan, _, _) = await Plan();
        var link = await Issue(plan);
        Ical.Net.Calendar.Load(await server.As(null).GetStringAsync(Feed(link)))!.Events.ShouldAllBe(e => e.Alarms.Count == 1);

        var reminders = $"/api/plans/{plan.PlanId}/members/{plan.MemberId}/reminders";
        (await plan.Member.PutAsJsonAsync(reminders, new { reminders = false })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var off = await server.As(null).GetStringAsync(Feed(link));
        off.ShouldNotContain("VALARM");
        var events = Ical.Net.Calendar.Load(off)!.Events;
        events.Count.ShouldBe(3); // the agreements stay in the calendar
        events.ShouldAllBe(e => e.Alarms.Count == 0);

        (await plan.Member.PutAsJsonAsync(reminders, new { reminders = true })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Ical.Net.Calendar.Load(await server.As(null).GetStringAsync(Feed(link)))!.Events.ShouldAllBe(e => e.Alarms.Count == 1);
    }

    /// <summary>The first day after <paramref name="now"/> whose noon in Amsterdam has another offset than the day before's.</summary>
    private static DateOnly NextClockChange(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Amsterdam).Date).AddDays(2);
        while (Amsterdam.GetUtcOffset(day.ToDateTime(new TimeOnly(12, 0))) == Amsterdam.GetUtcOffset(day.AddDays(-1).ToDateTime(new TimeOnly(12, 0))))
            day = day.AddDays(1);
        return day;
    }

    [Fact]
    public async Task a_revoked_link_ends_the_feed_and_every_fetch_is_in_the_access_log_without_the_token()
    {
        var (plan, _, _) = await Plan();
        var link = await Issue(plan);
        (await server.As(null).GetAsync(Feed(link))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var revoke = $"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links/{link.Id}";
        (await plan.Professional.SendAsync(new HttpRequestMessage(HttpMethod.Delete, revoke) { Content = JsonContent.Create(new { reason = "Telefoon kwijt" }) }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var refused = await server.As(null).GetAsync(Feed(link));
        refused.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("BEGIN:VCALENDAR");
        (await server.As(null).GetAsync("/l/not-a-token/calendar.ics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await using var session = server.Store.QuerySession(Tenants.Of("default"));
        var entries = await session.Query<AccessLogEntry>().Where(e => e.PlanId == plan.PlanId && e.Action == "read GET /l/{token}/calendar.ics").ToListAsync();
        entries.OrderBy(e => e.Id).Select(e => (e.Result, e.Status, e.OnBehalfOf)).ShouldBe([
            ("allowed", 200, $"member:{plan.MemberId}"), ("refused", 410, $"member:{plan.MemberId}"),
        ]);
        var token = new Uri(link.Url).AbsolutePath["/l/".Length..];
        entries.ShouldAllBe(e => !e.What.Contains(token));
    }

    [Fact]
    public async Task the_address_the_member_page_offers_opens_the_feed_and_never_signs_anyone_in()
    {
        // Calendar services keep and share subscription addresses: the member page's address is a calendar-only token.
        var (plan, _, _) = await Plan();
        var link = await Issue(plan);
        var tokens = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SafetyPlan.PersonalLinks.LinkTokens>(server.Factory.Services);
        var signIn = tokens.Read(new Uri(link.Url).AbsolutePath["/l/".Length..])!;
        var calendarOnly = tokens.SignCalendar(signIn);
        var anonymous = server.As(null);

        (await anonymous.GetAsync($"/l/{calendarOnly}/calendar.ics")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // In the member's language (Dutch), not the fetching calendar service's.
        (await server.As(null, language: "en").GetStringAsync($"/l/{calendarOnly}/calendar.ics")).ShouldContain("X-WR-CALNAME:Afspraken veiligheidsplan");
        (await anonymous.GetAsync($"/l/{calendarOnly}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        tokens.Read(calendarOnly).ShouldBeNull();

        (await plan.Professional.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links/{link.Id}")
            { Content = JsonContent.Create(new { reason = "Telefoon kwijt" }) })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await anonymous.GetAsync($"/l/{calendarOnly}/calendar.ics")).StatusCode.ShouldBe(HttpStatusCode.Gone);
    }
}
