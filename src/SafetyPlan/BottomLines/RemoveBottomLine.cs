using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.BottomLines;

public sealed record RemoveBottomLine(Guid PlanId, Guid BottomLineId, string Reason, Caller Caller)
{
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

public static class RemoveBottomLineHandler
{
    public static Task<Decision<CreatedId>> Handle(RemoveBottomLine command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => RemoveBottomLine.Decide(plan, command, now), ct);
}

public static class RemoveBottomLineEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapDelete("{planId:guid}/bottom-lines/{bottomLineId:guid}", async (
            Guid planId, Guid bottomLineId, [FromBody] ReasonRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (request.Validate() is { } invalid) return invalid.ToProblem(caller.Language);
            return await bus.DecideNoContent<CreatedId>(new RemoveBottomLine(planId, bottomLineId, request.Reason!, caller), caller, ct);
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Remove a bottom line; its history is kept (professionals).")
        .Produces(StatusCodes.Status204NoContent);
}
