using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Plans;

public sealed record AddMemberRequest(
    [property: MaxLength(Bounds.NameLength)] string? Name, string? Role, [property: MaxLength(Bounds.EmailLength)] string? Email,
    [property: MaxLength(Bounds.PhoneLength)] string? Phone);

public sealed record AddMember(Guid PlanId, Guid MemberId, string Name, MemberRole Role, string? Email, string? Phone, Caller Caller)
{
    public static Decision<CreatedId> Decide(Plan? plan, AddMember command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        return Decision.Accept(new CreatedId(command.MemberId),
            new MemberAdded(command.MemberId, command.Name.Trim(), command.Role, command.Email?.Trim(), command.Phone?.Trim(), now));
    }

    public static Rejection? Validate(AddMemberRequest request, out MemberRole role)
    {
        var errors = new FieldErrors().Required("name", request.Name, Bounds.NameLength)
            .Optional("email", request.Email, Bounds.EmailLength).Optional("phone", request.Phone, Bounds.PhoneLength);
        if (!ContractValues.TryParseEnum(request.Role, out role))
            errors.Add("role", $"'role' must be one of: {ContractValues.Choices<MemberRole>()}.",
                $"'role' moet een van deze zijn: {ContractValues.Choices<MemberRole>()}.");
        if (!string.IsNullOrWhiteSpace(request.Email) && !MailAddress.TryCreate(request.Email.Trim(), out _))
            errors.Add("email", "'email' is not an e-mail address.", "'email' is geen e-mailadres.");
        return errors.ToRejection();
    }
}

public static class AddMemberHandler
{
    public static Task<Decision<CreatedId>> Handle(AddMember command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => AddMember.Decide(plan, command, now), ct);
}

public static class AddMemberEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/members", async (
            Guid planId, [FromBody] AddMemberRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (AddMember.Validate(request, out var role) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new AddMember(planId, Guid.NewGuid(), request.Name!, role,
                string.IsNullOrWhiteSpace(request.Email) ? null : request.Email,
                string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone, caller);
            return await bus.Decide<CreatedId>(command, caller, ct, created => $"/api/plans/{planId}/members/{created.Id}");
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Add a network member to a plan (professionals).")
        .Produces<CreatedId>(StatusCodes.Status201Created);
}
