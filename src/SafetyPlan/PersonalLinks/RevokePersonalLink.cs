using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.PersonalLinks;

/// <summary>Revoking a link ends it at once: the token no longer signs anyone in, and a member signed in with it is signed out on their next request.</summary>
public sealed record RevokePersonalLink(Guid PlanId, Guid MemberId, Guid LinkId, string Reason, Caller Caller)
{
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
}

public static class RevokePersonalLinkHandler
{
    public static Task<Decision<CreatedId>> Handle(RevokePersonalLink command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => RevokePersonalLink.Decide(plan, command, now), ct);
}

public static class RevokePersonalLinkEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapDelete("{planId:guid}/members/{memberId:guid}/links/{linkId:guid}", async (
            Guid planId, Guid memberId, Guid linkId, [FromBody] ReasonRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (request.Validate() is { } invalid) return invalid.ToProblem(caller.Language);
            return await bus.DecideNoContent<CreatedId>(new RevokePersonalLink(planId, memberId, linkId, request.Reason!, caller), caller, ct);
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Revoke a member's personal link, with a reason; it stops working at once (professionals).")
        .Produces(StatusCodes.Status204NoContent);
}
