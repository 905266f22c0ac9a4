namespace SafetyPlan.Scheduling;

public sealed record DeadlineView(DateTimeOffset DueAt, DeadlineKind Kind, Guid? Ref, DateTimeOffset? Occurrence, int? DaysBefore);

public static class DeadlinesEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/deadlines", async (
            Guid planId, HttpContext http, IQuerySession session, CancellationToken ct) =>
        {
            var plan = await session.LoadAsync<Plan>(planId, ct);
            if (plan is null) return Rejection.PlanNotFound(planId).ToProblem(http.Caller().Language);
            return Results.Ok(Deadlines.Upcoming(plan)
                .Where(d => d.Kind != DeadlineKind.Delivery)
                .OrderBy(d => d.DueAt)
                .Select(d => new DeadlineView(d.DueAt, d.Kind, d.Ref, d.Occurrence, d.DaysBefore))
                .ToList());
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("The plan's upcoming deadlines: the next check-in due per agreement, silence, acknowledgements, evaluation (professionals and auditors).")
        .Produces<IReadOnlyList<DeadlineView>>();
}
