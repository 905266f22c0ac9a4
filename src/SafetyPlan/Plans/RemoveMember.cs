using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Plans;

/// <summary>The body of a removal or withdrawal: why (kept in the history).</summary>
public sealed record ReasonRequest([property: MaxLength(Bounds.TextLength)] string? Reason)
{
    public Rejection? Validate() => new FieldErrors().Required("reason", Reason, Bounds.TextLength).ToRejection();
}

public sealed record RemoveMember(Guid PlanId, Guid MemberId, string Reason, Caller Caller)
{
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
}

public static class RemoveMemberHandler
{
    public static Task<Decision<CreatedId>> Handle(RemoveMember command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => RemoveMember.Decide(plan, command, now), ct);
}

public static class RemoveMemberEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapDelete("{planId:guid}/members/{memberId:guid}", async (
            Guid planId, Guid memberId, [FromBody] ReasonRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (request.Validate() is { } invalid) return invalid.ToProblem(caller.Language);
            return await bus.DecideNoContent<CreatedId>(new RemoveMember(planId, memberId, request.Reason!, caller), caller, ct);
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Remove a network member from a plan; their history stays (professionals).")
        .Produces(StatusCodes.Status204NoContent);
}
