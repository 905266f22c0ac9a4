using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Agreements;

/// <param name="Grace">ISO 8601, PT5M..P7D (Web/Bounds.cs); absent: PT4H.</param>
public sealed record MakeAgreementRequest(
    [property: MaxLength(Bounds.TextLength)] string? Text, Guid? ResponsibleMemberId, Guid? GoalId, ScheduleRequest? Schedule, string? Grace);

public sealed record MakeAgreement(
    Guid PlanId, Guid AgreementId, string Text, Guid ResponsibleMemberId, Guid? GoalId, ScheduleRequest Schedule,
    TimeSpan Grace, Caller Caller)
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(4);

    public static Decision<CreatedId> Decide(Plan? plan, MakeAgreement command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        var errors = new FieldErrors();
        var schedule = command.Schedule.Parse(errors, plan!.Zone(), now);
        if (errors.ToRejection() is { } invalid) return invalid;
        if (plan.ActiveMember(command.ResponsibleMemberId) is null) return PlanGuards.MemberNotFound(command.ResponsibleMemberId);
        if (command.GoalId is { } goal && plan.Goals.All(g => g.Id != goal))
            return Rejection.NotFound($"There is no safety goal with id {goal} in this plan.", $"Er is geen veiligheidsdoel met id {goal} in dit plan.");
        return Decision.Accept(new CreatedId(command.AgreementId), new AgreementMade(
            command.AgreementId, command.Text.Trim(), command.ResponsibleMemberId, command.GoalId, schedule!, command.Grace, now));
    }

    public static Rejection? Validate(MakeAgreementRequest request, out TimeSpan grace)
    {
        var errors = new FieldErrors().Required("text", request.Text, Bounds.TextLength);
        if (request.ResponsibleMemberId is null)
            errors.Add("responsibleMemberId", "'responsibleMemberId' is required.", "'responsibleMemberId' is verplicht.");
        if (request.Schedule is null)
            errors.Add("schedule", "'schedule' is required.", "'schedule' is verplicht.");
        grace = Bounds.GraceOf(errors, request.Grace) ?? DefaultGrace;
        return errors.ToRejection();
    }
}

public static class MakeAgreementHandler
{
    public static Task<Decision<CreatedId>> Handle(MakeAgreement command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => MakeAgreement.Decide(plan, command, now), ct);
}

public static class MakeAgreementEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/agreements", async (
            Guid planId, [FromBody] MakeAgreementRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (MakeAgreement.Validate(request, out var grace) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new MakeAgreement(planId, Guid.NewGuid(), request.Text!, request.ResponsibleMemberId!.Value,
                request.GoalId, request.Schedule!, grace, caller);
            return await bus.Decide<CreatedId>(command, caller, ct, created => $"/api/plans/{planId}/agreements/{created.Id}");
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Make an agreement: who does what, when (professionals).")
        .Produces<CreatedId>(StatusCodes.Status201Created);
}
