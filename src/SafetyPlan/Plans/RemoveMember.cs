namespace SafetyPlan.Plans;

/// <summary>The body of a removal or withdrawal: why (kept in the history).</summary>
public sealed record ReasonRequest([property: MaxLength(Bounds.TextLength)] string? Reason)
{
    /// <summary>The removal <paramref name="command"/> makes of the reason; or 400 when the reason is missing or too long.</summary>
    public Decision<TCommand> ToCommand<TCommand>(Func<string, TCommand> command) =>
        new FieldErrors().Required("reason", Reason, Bounds.TextLength).ToRejection() is { } invalid ? invalid : Decision.Accept(command(Reason!));
}

public sealed record RemoveMember(Guid PlanId, Guid MemberId, string Reason, Caller Caller) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CreatedId> Decide(Plan? plan, RemoveMember command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        if (plan!.ActiveMember(command.MemberId) is null) return PlanGuards.MemberNotFound(command.MemberId);
        if (plan.Agreements.Any(a => !a.IsWithdrawn && a.ResponsibleMemberId == command.MemberId))
            return Rejection.Conflict(
                "This member is still responsible for agreements; withdraw those agreements first.",
                "Dit netwerklid is nog verantwoordelijk voor afspraken; trek die afspraken eerst in.");
        // Whoever left the network is told nothing more: what was still queued to them ends with the removal.
        return Decision.Accept(new CreatedId(command.MemberId),
            [new MemberRemoved(command.MemberId, command.Reason.Trim(), now), .. Notifications.Notify.EndFor(plan, command.MemberId, now)]);
    }

    /// <summary>DELETE /api/plans/{planId}/members/{memberId}: 204, or 400/403/404/409.</summary>
    public static async Task<NoContentAnswer> Delete(Guid planId, Guid memberId, [FromBody] ReasonRequest request, [AsParameters] Sender send) =>
        send.NoContent(await request.ToCommand(reason => new RemoveMember(planId, memberId, reason, send.Caller)).Then(send.Decide));
}
