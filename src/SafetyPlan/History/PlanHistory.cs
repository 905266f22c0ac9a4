using Marten;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;

namespace SafetyPlan.History;

/// <summary>One event of a plan's history, as auditors read it.</summary>
public sealed record HistoryEntry(
    long Sequence, long Version, string Type, DateTimeOffset At, DateTimeOffset RecordedAt, string? Actor, string? ActorRoles,
    string? CorrelationId, string? CausationId, object Data);

public static class PlanHistory
{
    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/history", async (
            Guid planId, HttpContext http, IQuerySession session, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var events = await session.Events.FetchStreamAsync(planId, token: ct);
            if (events.Count == 0) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);
            return Results.Ok(events.Select(e => new HistoryEntry(
                e.Sequence, e.Version, TypeName(e.EventType), ((IPlanEvent)e.Data).At, e.Timestamp, e.UserName,
                e.GetHeader("roles")?.ToString(), e.CorrelationId, e.CausationId, e.Data)).ToList());
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("Every event of a plan, in order (professionals and auditors).")
        .Produces<IReadOnlyList<HistoryEntry>>();

    /// <summary>The contract's event type name: PlanDrafted becomes plan-drafted.</summary>
    public static string TypeName(Type type) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.Name);
}
