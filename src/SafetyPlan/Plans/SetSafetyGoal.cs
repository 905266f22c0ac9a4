using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Plans;

public sealed record SetSafetyGoalRequest([property: MaxLength(Bounds.TextLength)] string? Danger, [property: MaxLength(Bounds.TextLength)] string? Goal);

/// <summary>A danger statement and the safety goal that answers it.</summary>
public sealed record SetSafetyGoal(Guid PlanId, Guid GoalId, string Danger, string Goal, Caller Caller)
{
    public static Decision<CreatedId> Decide(Plan? plan, SetSafetyGoal command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        return Decision.Accept(new CreatedId(command.GoalId),
            new SafetyGoalSet(command.GoalId, command.Danger.Trim(), command.Goal.Trim(), now));
    }
}

public static class SetSafetyGoalHandler
{
    public static Task<Decision<CreatedId>> Handle(SetSafetyGoal command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => SetSafetyGoal.Decide(plan, command, now), ct);
}

public static class SetSafetyGoalEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/goals", async (
            Guid planId, [FromBody] SetSafetyGoalRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (new FieldErrors().Required("danger", request.Danger, Bounds.TextLength).Required("goal", request.Goal, Bounds.TextLength).ToRejection() is { } invalid)
                return invalid.ToProblem(caller.Language);
            return await bus.Decide<CreatedId>(new SetSafetyGoal(planId, Guid.NewGuid(), request.Danger!, request.Goal!, caller),
                caller, ct, created => $"/api/plans/{planId}/goals/{created.Id}");
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Set a danger statement and its safety goal (professionals).")
        .Produces<CreatedId>(StatusCodes.Status201Created);
}
