using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Plans;

/// <param name="EvaluationDue">After today in the plan's zone, at most two years ahead (Web/Bounds.cs).</param>
public sealed record AgreePlanRequest(DateOnly? EvaluationDue);

public sealed record PlanAgreedResult(Guid Id, PlanState State, DateOnly EvaluationDue);

/// <summary>The network agrees the plan: Draft becomes Active and agreements start to occur.</summary>
public sealed record AgreePlan(Guid PlanId, DateOnly EvaluationDue, Caller Caller)
{
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

public static class AgreePlanHandler
{
    public static Task<Decision<PlanAgreedResult>> Handle(AgreePlan command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => AgreePlan.Decide(plan, command, now), ct);
}

public static class AgreePlanEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/agree", async (
            Guid planId, [FromBody] AgreePlanRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (request.EvaluationDue is not { } due)
                return Rejection.Invalid("evaluationDue", "'evaluationDue' is required (a date such as 2027-01-10).",
                    "'evaluationDue' is verplicht (een datum zoals 2027-01-10).").ToProblem(caller.Language);
            return await bus.Decide<PlanAgreedResult>(new AgreePlan(planId, due, caller), caller, ct);
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Record that the network agreed the plan: Draft to Active (professionals).")
        .Produces<PlanAgreedResult>();
}
