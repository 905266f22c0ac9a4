namespace SafetyPlan.PersonalLinks;

/// <summary>Revoking a link ends it at once: the token no longer signs anyone in, and a member signed in with it is signed out on their next request.</summary>
public sealed record RevokePersonalLink(Guid PlanId, Guid MemberId, Guid LinkId, string Reason, Caller Caller) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CreatedId> Decide(Plan? plan, RevokePersonalLink command, DateTimeOffset now)
    {
        // Also on a closed plan: taking access away is always allowed.
        if (plan is null) return Rejection.PlanNotFound(command.PlanId);
        var link = plan.Links.FirstOrDefault(l => l.Id == command.LinkId && l.MemberId == command.MemberId);
        if (link is null)
            return Rejection.NotFound($"There is no personal link with id {command.LinkId} for this member.",
                $"Er is geen persoonlijke link met id {command.LinkId} voor dit netwerklid.");
        if (link.RevokedAt is not null) return Decision.Repeat(new CreatedId(link.Id));
        return Decision.Accept(new CreatedId(link.Id), new PersonalLinkRevoked(link.Id, command.Caller.UserId, command.Reason.Trim(), now));
    }

    /// <summary>DELETE /api/plans/{planId}/members/{memberId}/links/{linkId}: 204 (also when it was revoked before), or 400/403/404.</summary>
    public static async Task<NoContentAnswer> Delete(Guid planId, Guid memberId, Guid linkId, [FromBody] ReasonRequest request, [AsParameters] Sender send) =>
        send.NoContent(await request.ToCommand(reason => new RevokePersonalLink(planId, memberId, linkId, reason, send.Caller)).Then(send.Decide));
}
