namespace SafetyPlan.BottomLines;

/// <summary>Removes a bottom line: it judges nothing more; its history stays. Not while it has an open escalation (409).</summary>
public sealed record RemoveBottomLine(Guid PlanId, Guid BottomLineId, string Reason, Caller Caller) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CreatedId> Decide(Plan? plan, RemoveBottomLine command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        var bottomLine = plan!.FindBottomLine(command.BottomLineId);
        if (bottomLine is null || bottomLine.RemovedAt is not null)
            return Rejection.NotFound($"There is no bottom line with id {command.BottomLineId} in this plan.",
                $"Er is geen bodemeis met id {command.BottomLineId} in dit plan.");
        if (bottomLine.IsCrossed)
            return Rejection.Conflict("This bottom line has an open escalation; resolve it first.",
                "Deze bodemeis heeft een openstaande escalatie; handel die eerst af.");
        return Decision.Accept(new CreatedId(command.BottomLineId), new BottomLineRemoved(command.BottomLineId, command.Reason.Trim(), now));
    }
}

public static class RemoveBottomLineEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapDelete("{planId:guid}/bottom-lines/{bottomLineId:guid}", Remove)
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Remove a bottom line; its history is kept (professionals).");

    /// <summary>DELETE /api/plans/{planId}/bottom-lines/{bottomLineId}: 204, or 400/403/404/409.</summary>
    public static Task<NoContentAnswer> Remove(
        Guid planId, Guid bottomLineId, [FromBody] ReasonRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        Removal.Send(request, http, bus, (reason, caller) => new RemoveBottomLine(planId, bottomLineId, reason, caller), ct);
}
