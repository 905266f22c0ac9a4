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

    /// <summary>DELETE /api/plans/{planId}/bottom-lines/{bottomLineId}: 204, or 400/403/404/409.</summary>
    public static async Task<NoContentAnswer> Delete(Guid planId, Guid bottomLineId, [FromBody] ReasonRequest request, [AsParameters] Sender send) =>
        send.NoContent(await request.ToCommand(reason => new RemoveBottomLine(planId, bottomLineId, reason, send.Caller)).Then(send.Decide));
}
