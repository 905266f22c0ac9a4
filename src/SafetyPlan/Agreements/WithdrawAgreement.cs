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

    /// <summary>DELETE /api/plans/{planId}/agreements/{agreementId}: 204, or 400/403/404/409.</summary>
    public static async Task<NoContentAnswer> Delete(Guid planId, Guid agreementId, [FromBody] ReasonRequest request, [AsParameters] Sender send) =>
        send.NoContent(await request.ToCommand(reason => new WithdrawAgreement(planId, agreementId, reason, send.Caller)).Then(send.Decide));
}
