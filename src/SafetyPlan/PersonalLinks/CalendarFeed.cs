using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using SafetyPlan.Agreements;
using SafetyPlan.Audit;

namespace SafetyPlan.PersonalLinks;

/// <summary>
/// A network member's calendar subscription: <c>GET /l/{token}/calendar.ics</c>, the personal link's token, or the
/// calendar-only token of the same link that the member page offers (<see cref="LinkTokens.SignCalendar"/>), followed by
/// <c>/calendar.ics</c> (RFC 5545, built with Ical.Net). It lists the member's agreements (responsible or named as a
/// reporter, not withdrawn) of an active plan as events in the plan's IANA time zone, with a VTIMEZONE: recurring ones
/// with an RRULE (daily, or weekly on the schedule's days) from their first occurrence once the plan is in force
/// (<see cref="Agreement.StartsAfter"/>, as the deadlines count), once ones once; each with a VALARM
/// <c>remindBefore</c> before it, unless the member turned reminders off. A draft plan's feed has no events. The
/// address is the key, like the link itself: it counts exactly while the link does (UsePersonalLink.Refusal), so
/// revoking the link, its expiry, the member's removal or the plan's closing ends the feed (410). Answers are
/// <c>Cache-Control: private, no-store</c>, and every fetch by a known link is in the access log, without the token.
/// </summary>
public static class CalendarFeed
{
    /// <summary>How long each event lasts in the calendar: a moment to act, not the report window.</summary>
    public static readonly TimeSpan EventLength = TimeSpan.FromMinutes(15);

    public static void Map(WebApplication app) => app.MapGet("/l/{token}/calendar.ics",
            async (string token, HttpContext http, LinkTokens tokens, IDocumentStore store, TimeProvider clock, Hosting.AppAddress address, CancellationToken ct) =>
            {
                http.Response.Headers["Referrer-Policy"] = "no-referrer";
                http.Response.Headers.CacheControl = "private, no-store";
                if (tokens.ReadForCalendar(token) is not { } link) return Results.NotFound();
                var tenant = Organisations.Tenants.Of(link.Organisation);
                Plan? plan;
                await using (var session = store.QuerySession(tenant)) plan = await session.LoadAsync<Plan>(link.PlanId, ct);
                var now = clock.GetUtcNow();
                var refused = UsePersonalLink.Refusal(plan, link.LinkId, link.MemberId, now) is not null;
                if (plan is not null) await Record(store, tenant, http, link, now, refused);
                if (refused) return Results.StatusCode(StatusCodes.Status410Gone);
                // In the member's language, not the fetcher's: a calendar service fetches with its own.
                var ics = Render(plan!, link.MemberId, plan!.ActiveMember(link.MemberId)?.Language ?? Member.DefaultLanguage, address.BaseUrl, now);
                return Results.Text(ics, "text/calendar; charset=utf-8");
            })
        .AllowAnonymous()
        .ExcludeFromDescription();

    /// <summary>The member's calendar as iCalendar text.</summary>
    /// <param name="language"><c>nl</c> or <c>en</c>: the alarm's and description's words (the agreement's text is as written)</param>
    public static string Render(Plan plan, Guid memberId, string language, string baseUrl, DateTimeOffset now)
    {
        var nl = language != "en";
        var zone = plan.Zone();
        var calendar = new Ical.Net.Calendar { ProductId = "-//SafetyPlan//Calendar//NL" };
        calendar.AddProperty("X-WR-CALNAME", nl ? "Afspraken veiligheidsplan" : "Safety plan agreements");
        // The zone's own rules (DAYLIGHT and STANDARD) from the plan's first agreement on, for clients that do not know the IANA name.
        var since = plan.Agreements.Select(a => a.StartsAfter(plan)).DefaultIfEmpty(now).Min();
        // Only what is in force: a draft's agreements have no occurrences yet (Scheduling/Deadlines.cs counts none either).
        var agreements = plan.State == PlanState.Active ? plan.Agreements.Where(a => !a.IsWithdrawn && a.MayBeReportedOnBy(memberId)) : [];
        var remindersOn = plan.ActiveMember(memberId) is { RemindersOff: false };
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(plan.TimeZone, since.UtcDateTime.AddDays(-1), includeHistoricalData: false));
        foreach (var agreement in agreements)
        {
            if (Start(agreement, plan, zone) is not { } start) continue;
            var item = new CalendarEvent
            {
                Uid = $"{agreement.Id:D}@safetyplan",
                DtStamp = new CalDateTime(now.UtcDateTime, "UTC"),
                DtStart = start,
                Duration = Duration.FromTimeSpanExact(EventLength),
                Summary = agreement.Text,
                Description = nl ? $"Meld in SafetyPlan hoe het ging: {baseUrl.TrimEnd('/')}/member" : $"Report in SafetyPlan how it went: {baseUrl.TrimEnd('/')}/member",
            };
            if (Rule(agreement.Schedule) is { } rule) item.RecurrenceRules.Add(rule);
            if (remindersOn) item.Alarms.Add(new Alarm
            {
                Action = AlarmAction.Display,
                Description = nl ? "Zo meteen: een afspraak uit het veiligheidsplan" : "Coming up: an agreement of the safety plan",
                Trigger = new Trigger(Duration.FromTimeSpanExact(-agreement.RemindBefore)),
            });
            calendar.Events.Add(item);
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>
    /// The first occurrence once the agreement is in force (<see cref="Agreement.StartsAfter"/>: made, and the plan
    /// agreed), as a wall-clock time in the plan's zone (recurring and wall-clock once schedules), or as an instant in UTC
    /// (a once schedule given with an offset); null when there is none (a once schedule before the plan was agreed).
    /// </summary>
    private static CalDateTime? Start(Agreement agreement, Plan plan, TimeZoneInfo zone)
    {
        var startsAfter = agreement.StartsAfter(plan);
        if (agreement.Schedule.IsOnce && agreement.Schedule.Next(startsAfter, zone) is null) return null;
        if (agreement.Schedule is { OnceAt: { } instant }) return new CalDateTime(instant.UtcDateTime, "UTC");
        if (agreement.Schedule is { Once: { } once }) return new CalDateTime(DateTime.SpecifyKind(once, DateTimeKind.Unspecified), zone.Id);
        if ((agreement.Schedule.Daily ?? agreement.Schedule.At) is not { } time
            || agreement.Schedule.Next(startsAfter, zone) is not { } first) return null;
        // The schedule's own time on the first occurrence's day (which moved only within its day if it fell in a clock change's gap).
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(first, zone).DateTime);
        return new CalDateTime(day.ToDateTime(time), zone.Id);
    }

    /// <summary>Daily, or weekly on the schedule's days; none for a once schedule.</summary>
    private static RecurrencePattern? Rule(Schedule schedule) => schedule switch
    {
        { Daily: not null } => new RecurrencePattern(FrequencyType.Daily, 1),
        { Weekly: { Count: > 0 } days, At: not null } => new RecurrencePattern(FrequencyType.Weekly, 1)
        {
            ByDay = days.Distinct().Order().Select(d => new WeekDay(d)).ToList(),
        },
        _ => null,
    };

    /// <summary>The fetch in the access log (NEN 7513): the member, their plan, allowed or refused; the token is left out of what was asked.</summary>
    private static async Task Record(IDocumentStore store, string tenant, HttpContext http, LinkClaims link, DateTimeOffset now, bool refused)
    {
        await using var session = store.LightweightSession(tenant);
        session.Store(new AccessLogEntry
        {
            Id = Guid.CreateVersion7(),
            At = now,
            UserId = $"member-{link.MemberId}",
            Roles = $"{Caller.MemberPrefix}{link.MemberId}",
            OnBehalfOf = $"{Caller.MemberPrefix}{link.MemberId}",
            Organisation = link.Organisation,
            PlanId = link.PlanId,
            Action = "read GET /l/{token}/calendar.ics",
            What = "GET /l/…/calendar.ics",
            Origin = http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            Result = refused ? "refused" : "allowed",
            Status = refused ? StatusCodes.Status410Gone : StatusCodes.Status200OK,
        });
        await session.SaveChangesAsync(CancellationToken.None);
    }
}
