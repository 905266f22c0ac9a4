using Marten.Events.Projections;

namespace SafetyPlan.Statistics;

/// <summary>
/// One day (in Amsterdam) across every plan of one organisation (each organisation's events count in its own tenant): how the agreements were kept, how many concerns and escalations there
/// were. For team leads and auditors watching the service as a whole; it names no family and no person.
/// </summary>
public sealed class DailyCompliance
{
    /// <summary>The day, yyyy-MM-dd.</summary>
    public string Id { get; set; } = "";
    public int Kept { get; set; }
    public int Partly { get; set; }
    public int NotKept { get; set; }
    public int Missed { get; set; }
    public int Concerns { get; set; }
    public int EscalationsRaised { get; set; }
}

/// <summary>
/// Asynchronous, unlike the plan and the inboxes: every check-in in the country updates the same day's document, so
/// inline it would make that one row a lock every report waits for; nobody needs it within the request. Across nodes
/// Wolverine runs it on exactly one of them and moves it when that node dies (docs/scaling.md).
/// </summary>
public sealed partial class DailyComplianceProjection : MultiStreamProjection<DailyCompliance, string>
{
    private static readonly TimeZoneInfo Netherlands = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public DailyComplianceProjection()
    {
        Identity<CheckInLogged>(e => Day(e.At));
        Identity<CheckInMissed>(e => Day(e.At));
        Identity<ConcernRaised>(e => Day(e.At));
        Identity<EscalationRaised>(e => Day(e.At));
    }

    // Invariant: the server's own culture could write another calendar's year into the document id.
    public static string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Netherlands).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Apply(DailyCompliance day, CheckInLogged e)
    {
        if (e.Outcome == CheckInOutcome.Kept) day.Kept++;
        else if (e.Outcome == CheckInOutcome.Partly) day.Partly++;
        else day.NotKept++;
    }

    public void Apply(DailyCompliance day, CheckInMissed e) => day.Missed++;
    public void Apply(DailyCompliance day, ConcernRaised e) => day.Concerns++;
    public void Apply(DailyCompliance day, EscalationRaised e) => day.EscalationsRaised++;
}

public static class DailyComplianceEndpoint
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/statistics/daily", async (
            DateOnly? from, DateOnly? to, IQuerySession session, CancellationToken ct) =>
        {
            var first = (from ?? DateOnly.MinValue).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var last = (to ?? DateOnly.MaxValue).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // One small document per day: a few hundred a year, so filtering them here is cheaper than being clever.
            var days = await session.Query<DailyCompliance>().ToListAsync(ct);
            return Results.Ok(days.Where(d => string.CompareOrdinal(d.Id, first) >= 0 && string.CompareOrdinal(d.Id, last) <= 0)
                .OrderBy(d => d.Id, StringComparer.Ordinal).Take(400).ToList());
        })
        .RequireAuthorization(Policies.Reader)
        .WithTags("Statistics")
        .WithSummary("Per day across the organisation's plans: check-ins kept, partly, not kept, missed; concerns; escalations. Updated asynchronously (seconds behind).")
        .Produces<IReadOnlyList<DailyCompliance>>();
}
