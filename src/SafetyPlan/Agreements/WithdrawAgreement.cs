using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Agreements;

/// <summary>Withdraws an agreement: no new occurrences; its history and figures stay.</summary>
public sealed record WithdrawAgreement(Guid PlanId, Guid AgreementId, string Reason, Caller Caller)
{
    public static Decision<CreatedId> Decide(Plan? plan, WithdrawAgreement command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        var agreement = plan!.FindAgreement(command.AgreementId);
        if (agreement is null) return PlanGuards.AgreementNotFound(command.AgreementId);
        if (agreement.IsWithdrawn)
            return Rejection.Conflict("This agreement has already been withdrawn.", "Deze afspraak is al ingetrokken.");
        return Decision.Accept(new CreatedId(command.AgreementId), new AgreementWithdrawn(command.AgreementId, command.Reason.Trim(), now));
    }
}

public static class WithdrawAgreementHandler
{
    public static Task<Decision<CreatedId>> Handle(WithdrawAgreement command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => WithdrawAgreement.Decide(plan, command, now), ct);
}

public static class WithdrawAgreementEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapDelete("{planId:guid}/agreements/{agreementId:guid}", async (
            Guid planId, Guid agreementId, [FromBody] ReasonRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (request.Validate() is { } invalid) return invalid.ToProblem(caller.Language);
            return await bus.DecideNoContent<CreatedId>(new WithdrawAgreement(planId, agreementId, request.Reason!, caller), caller, ct);
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Withdraw an agreement; its history is kept (professionals).")
        .Produces(StatusCodes.Status204NoContent);
}
