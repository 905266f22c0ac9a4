using Marten;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;

namespace SafetyPlan.History;

/// <summary>One event of a plan's history, as auditors read it.</summary>
public sealed record HistoryEntry(
    long Sequence, long Version, string Type, DateTimeOffset At, DateTimeOffset RecordedAt, string? Actor, string? ActorRoles,
    string? CorrelationId, string? CausationId, string Description, object Data);

public static class PlanHistory
{
    /// <summary>
    /// Every event, in order. Optional filters: <c>type</c> (one or more, comma-separated), <c>from</c> and <c>to</c>
    /// (on the event's time); paging with <c>skip</c> and <c>take</c> (the total is in the <c>X-Total-Count</c> header).
    /// </summary>
    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/history", async (
            Guid planId, string? type, DateTimeOffset? from, DateTimeOffset? to, int? skip, int? take, HttpContext http,
            IQuerySession session, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (skip is < 0 || take is < 1 or > 1000)
                return Rejection.Invalid("take", "'skip' must be 0 or more and 'take' from 1 to 1000.", "'skip' moet 0 of meer zijn en 'take' van 1 tot 1000.")
                    .ToProblem(caller.Language);
            var events = await session.Events.FetchStreamAsync(planId, token: ct);
            if (events.Count == 0) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);

            var types = type?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            var matching = Entries(events, types, from, to, caller);
            http.Response.Headers["X-Total-Count"] = matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Ok(matching.Skip(skip ?? 0).Take(take ?? int.MaxValue).ToList());
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("Every event of a plan, in order, with who caused it and a readable description; filter by type and period, page with skip/take (professionals and auditors).")
        .Produces<IReadOnlyList<HistoryEntry>>();

    /// <summary>
    /// The history entries of a plan's events that match the filters (the API and the auditor's timeline page), as this
    /// reader may see them: members' free text only for professionals.
    /// </summary>
    public static List<HistoryEntry> Entries(IReadOnlyList<JasperFx.Events.IEvent> events, IReadOnlySet<string>? types,
        DateTimeOffset? from, DateTimeOffset? to, Caller reader) => events
        .Where(e => types is null || types.Count == 0 || types.Contains(TypeName(e.EventType)))
        .Where(e => from is null || ((IPlanEvent)e.Data).At >= from)
        .Where(e => to is null || ((IPlanEvent)e.Data).At <= to)
        .Select(e => new HistoryEntry(
            e.Sequence, e.Version, TypeName(e.EventType), ((IPlanEvent)e.Data).At, e.Timestamp, e.UserName,
            e.GetHeader("roles")?.ToString(), e.CorrelationId, e.CausationId,
            EventDescriptions.Describe(Privacy.MembersNotes.ForReader(e.Data, reader)).In(reader.Language),
            Privacy.MembersNotes.ForReader(e.Data, reader)))
        .ToList();

    /// <summary>The contract's event type name: PlanDrafted becomes plan-drafted.</summary>
    public static string TypeName(Type type) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.Name);
}
