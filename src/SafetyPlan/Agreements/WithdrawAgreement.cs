namespace SafetyPlan.Agreements;

/// <summary>Withdraws an agreement: no new occurrences; its history and figures stay.</summary>
public sealed record WithdrawAgreement(Guid PlanId, Guid AgreementId, string Reason, Caller Caller) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

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

public static class WithdrawAgreementEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapDelete("{planId:guid}/agreements/{agreementId:guid}", Withdraw)
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Withdraw an agreement; its history is kept (professionals).");

    /// <summary>DELETE /api/plans/{planId}/agreements/{agreementId}: 204, or 400/403/404/409.</summary>
    public static Task<NoContentAnswer> Withdraw(
        Guid planId, Guid agreementId, [FromBody] ReasonRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        Removal.Send(request, http, bus, (reason, caller) => new WithdrawAgreement(planId, agreementId, reason, caller), ct);
}
