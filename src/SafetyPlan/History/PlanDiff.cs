namespace SafetyPlan.History;

public sealed record Change<T>(IReadOnlyList<T> Added, IReadOnlyList<T> Removed);
public sealed record Named(Guid Id, string Text);

/// <summary>What changed in a plan between two versions: members, goals, agreements, bottom lines, state and evaluation date.</summary>
public sealed record PlanDiff(
    Guid PlanId, int From, int To, PlanState StateFrom, PlanState StateTo, int RevisionFrom, int RevisionTo,
    DateOnly? EvaluationDueFrom, DateOnly? EvaluationDueTo,
    Change<Named> Members, Change<Named> Goals, Change<Named> Agreements, Change<Named> BottomLines)
{
    public static PlanDiff Between(Plan before, Plan after) => new(
        after.Id, before.Version, after.Version, before.State, after.State, before.Revision, after.Revision,
        before.EvaluationDue, after.EvaluationDue,
        Compare(ActiveMembers(before), ActiveMembers(after)),
        Compare(before.Goals.Select(g => new Named(g.Id, g.Text)), after.Goals.Select(g => new Named(g.Id, g.Text))),
        Compare(ActiveAgreements(before), ActiveAgreements(after)),
        Compare(ActiveBottomLines(before), ActiveBottomLines(after)));

    private static IEnumerable<Named> ActiveMembers(Plan plan) => plan.Members.Where(m => m.RemovedAt is null).Select(m => new Named(m.Id, m.Name));
    private static IEnumerable<Named> ActiveAgreements(Plan plan) => plan.Agreements.Where(a => !a.IsWithdrawn).Select(a => new Named(a.Id, a.Text));
    private static IEnumerable<Named> ActiveBottomLines(Plan plan) => plan.ActiveBottomLines.Select(b => new Named(b.Id, b.Text));

    private static Change<Named> Compare(IEnumerable<Named> before, IEnumerable<Named> after)
    {
        var old = before.ToDictionary(n => n.Id);
        var current = after.ToDictionary(n => n.Id);
        return new Change<Named>(
            current.Values.Where(n => !old.ContainsKey(n.Id)).ToList(),
            old.Values.Where(n => !current.ContainsKey(n.Id)).ToList());
    }

    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/diff", async (
            Guid planId, int? from, int? to, HttpContext http, IQuerySession session, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (from is not >= 1 || to is not >= 1 || from >= to)
                return Rejection.Invalid("from", "Give two versions, 'from' lower than 'to', both 1 or more.", "Geef twee versies, 'from' lager dan 'to', beide 1 of hoger.")
                    .ToProblem(caller.Language);
            var before = await session.Events.AggregateStreamAsync<Plan>(planId, version: from.Value, token: ct);
            var after = await session.Events.AggregateStreamAsync<Plan>(planId, version: to.Value, token: ct);
            if (before is null || after is null) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);
            if (after.Version != to)
                return Rejection.NotFound($"The plan has no version {to}.", $"Het plan heeft geen versie {to}.").ToProblem(caller.Language);
            return Results.Ok(Between(before, after));
        })
        .RequireAuthorization(Policies.Reader)
        .WithSummary("What changed between two versions of a plan: members, goals, agreements, bottom lines (professionals and auditors).")
        .Produces<PlanDiff>();
}
