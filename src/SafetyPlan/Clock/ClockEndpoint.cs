using SafetyPlan.Scheduling;

namespace SafetyPlan.Clock;

public sealed record SetClockRequest(DateTimeOffset? Now, string? Advance);

/// <param name="Events">how many events the deadlines that became due appended</param>
public sealed record ClockResult(DateTimeOffset Now, int Events);

public static class ClockEndpoint
{
    /// <summary>Mapped only with the manual clock, which starts only with development sign-in (loopback only): elsewhere the route does not exist.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/dev/clock", async (
            [FromBody] SetClockRequest request, HttpContext http, ManualClock clock, DeadlineSweep sweep, Privacy.RetentionPass retention, CancellationToken ct) =>
        {
            var caller = http.Caller();
            TimeSpan advance = default;
            if ((request.Now is null) == (request.Advance is null))
                return Rejection.Invalid("now", "Give either 'now' or 'advance'.", "Geef 'now' of 'advance'.").ToProblem(caller.Language);
            if (request.Advance is not null && (!ContractValues.TryParseDuration(request.Advance, out advance) || advance < TimeSpan.Zero))
                return Rejection.Invalid("advance", "'advance' must be a positive ISO 8601 duration such as P1D.",
                    "'advance' moet een positieve ISO 8601-duur zijn zoals P1D.").ToProblem(caller.Language);
            if (request.Now is { } now && now < clock.GetUtcNow())
                return Rejection.Conflict("The clock only moves forward.", "De klok gaat alleen vooruit.").ToProblem(caller.Language);
            if ((request.Now ?? clock.GetUtcNow().Plus(advance)) > ManualClock.Latest)
                return Rejection.Invalid(request.Now is null ? "advance" : "now", "The manual clock goes no further than 9000-01-01.",
                    "De handmatige klok gaat niet verder dan 9000-01-01.").ToProblem(caller.Language);

            if (request.Now is { } target) clock.Set(target); else clock.Advance(advance);
            // Everything that became due runs before the answer, so that the answer reflects it.
            var events = await sweep.RunAndDeliver(ct);
            events += await retention.Run(ct);
            return Results.Ok(new ClockResult(clock.GetUtcNow(), events));
        })
        .RequireAuthorization(policy => policy.RequireRole(Caller.Professional, Caller.Admin))
        .WithSummary("Set or advance the manual clock and run all work that became due (only with Clock:Mode=Manual, which runs only with development sign-in on loopback; professionals and admins).")
        .Produces<ClockResult>();
}
