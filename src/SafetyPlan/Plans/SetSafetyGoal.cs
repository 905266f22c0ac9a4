namespace SafetyPlan.Plans;

/// <summary>A danger statement and its goal as sent to POST /api/plans/{planId}/goals and from the conference page.</summary>
public sealed record SetSafetyGoalRequest([property: MaxLength(Bounds.TextLength)] string? Danger, [property: MaxLength(Bounds.TextLength)] string? Goal)
{
    /// <summary>The one place this request becomes its command (the API and the conference page): a new goal id; or 400 when either text is missing or too long.</summary>
    public Decision<SetSafetyGoal> ToCommand(Guid planId, Caller caller) =>
        new FieldErrors().Required("danger", Danger, Bounds.TextLength).Required("goal", Goal, Bounds.TextLength).ToRejection() is { } invalid
            ? invalid
            : Decision.Accept(new SetSafetyGoal(planId, Guid.NewGuid(), Danger!, Goal!, caller));

    /// <summary>POST /api/plans/{planId}/goals: 201 with the goal's id, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<CreatedId>> Post(Guid planId, [FromBody] SetSafetyGoalRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Decide), goal => $"/api/plans/{planId}/goals/{goal.Id}");
}

/// <summary>A danger statement and the safety goal that answers it.</summary>
public sealed record SetSafetyGoal(Guid PlanId, Guid GoalId, string Danger, string Goal, Caller Caller) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CreatedId> Decide(Plan? plan, SetSafetyGoal command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        return Decision.Accept(new CreatedId(command.GoalId),
            new SafetyGoalSet(command.GoalId, command.Danger.Trim(), command.Goal.Trim(), now));
    }
}
