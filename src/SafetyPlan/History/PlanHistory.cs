using System.ComponentModel;

namespace SafetyPlan.History;

/// <summary>One event of a plan's history, as auditors read it.</summary>
public sealed record HistoryEntry(
    long Sequence, long Version, string Type, DateTimeOffset At, DateTimeOffset RecordedAt, string? Actor, string? ActorRoles,
    string? CorrelationId, string? CausationId, string Description, object Data);

public static class PlanHistory
{
    /// <summary>
    /// The plan's events, in order, a page at a time (api-contract.md, "Times, limits and paging"). Optional filters:
    /// <c>type</c> (one or more, comma-separated), <c>from</c> and <c>to</c> (instants with an offset, on the event's
    /// time). Paging: <c>skip</c> (0 or more) and <c>take</c> (1..1000; absent: 1000). The number of matching events is
    /// in <c>X-Total-Count</c>; while there are more, <c>Link: &lt;...&gt;; rel="next"</c> names the next page.
    /// 400 for a bad filter or page, 404 for an unknown plan.
    /// </summary>
    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/history", async (
            Guid planId, string? type,
            [Description("Events at or after this instant (with an offset).")] string? from,
            [Description("Events at or before this instant (with an offset).")] string? to,
            int? skip, [Description("1..1000; absent: 1000.")] int? take, HttpContext http,
            IQuerySession session, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var errors = new FieldErrors();
            if (skip is < 0 || take is < 1 or > Bounds.HistoryPage)
                errors.Add("take", $"'skip' must be 0 or more and 'take' from 1 to {Bounds.HistoryPage}.", $"'skip' moet 0 of meer zijn en 'take' van 1 tot {Bounds.HistoryPage}.");
            var (since, until) = (Bounds.Instant(errors, from, "from"), Bounds.Instant(errors, to, "to"));
            if (errors.ToRejection() is { } invalid) return invalid.ToProblem(caller.Language);
            var events = await session.Events.FetchStreamAsync(planId, token: ct);
            if (events.Count == 0) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);

            var types = type?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            var matching = Entries(events, types, since, until, caller);
            var (first, size) = (skip ?? 0, take ?? Bounds.HistoryPage);
            http.DescribePage(first, size, matching.Count);
            return Results.Ok(matching.Skip(first).Take(size).ToList());
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("A plan's events in order, with who caused them and a readable description; filter by type and period, page with skip/take (at most 1000 a page; X-Total-Count, Link rel=next) (professionals and auditors).")
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
