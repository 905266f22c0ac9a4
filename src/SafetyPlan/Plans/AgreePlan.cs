namespace SafetyPlan.Plans;

/// <param name="EvaluationDue">After today in the plan's zone, at most two years ahead (Web/Bounds.cs).</param>
public sealed record AgreePlanRequest(DateOnly? EvaluationDue)
{
    /// <summary>The one place this request becomes its command (the API and the conference page); 400 without a date. Its bounds are the decision's (they need the plan's zone).</summary>
    public Decision<AgreePlan> ToCommand(Guid planId, Caller caller) => EvaluationDue is { } due
        ? Decision.Accept(new AgreePlan(planId, due, caller))
        : Rejection.Invalid("evaluationDue", "'evaluationDue' is required (a date such as 2027-01-10).",
            "'evaluationDue' is verplicht (een datum zoals 2027-01-10).");

    /// <summary>POST /api/plans/{planId}/agree: 200 with the plan's new state, or 400/403/404/409.</summary>
    public static async Task<OkAnswer<PlanAgreedResult>> Post(Guid planId, [FromBody] AgreePlanRequest request, [AsParameters] Sender send) =>
        send.Ok(await request.ToCommand(planId, send.Caller).Then(send.Decide));
}

public sealed record PlanAgreedResult(Guid Id, PlanState State, DateOnly EvaluationDue);

/// <summary>The network agrees the plan: Draft becomes Active and agreements start to occur.</summary>
public sealed record AgreePlan(Guid PlanId, DateOnly EvaluationDue, Caller Caller) : IPlanCommand<PlanAgreedResult>
{
    Decision<PlanAgreedResult> IPlanCommand<PlanAgreedResult>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<PlanAgreedResult> Decide(Plan? plan, AgreePlan command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        if (plan!.State != PlanState.Draft)
            return Rejection.Conflict("The plan has already been agreed.", "Het plan is al vastgesteld.");
        if (!plan.Agreements.Any(a => !a.IsWithdrawn))
            return Rejection.Conflict("A plan needs at least one agreement before it can be agreed.",
                "Een plan heeft minstens één afspraak nodig voordat het kan worden vastgesteld.");
        var errors = new FieldErrors();
        Bounds.EvaluationDue(errors, command.EvaluationDue, plan.Today(now));
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new PlanAgreedResult(plan.Id, PlanState.Active, command.EvaluationDue),
            new PlanAgreed(command.EvaluationDue, now));
    }
}
