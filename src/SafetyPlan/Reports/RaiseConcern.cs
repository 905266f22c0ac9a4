using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.BottomLines;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Reports;

public sealed record RaiseConcernRequest([property: MaxLength(Bounds.IdLength)] string? ClientId, Guid? MemberId, [property: MaxLength(Bounds.NoteLength)] string? Text, string? Severity);

/// <summary>A worry outside any agreement. Every concern is a breach; bottom lines on concerns decide whether it escalates.</summary>
public sealed record RaiseConcern(Guid PlanId, Guid ConcernId, string ClientId, Guid MemberId, string Text, Severity Severity, Caller Caller)
{
    /// <param name="earlier">The receipt of an earlier report with the same clientId on this plan, if any.</param>
    public static Decision<Receipt> Decide(Plan? plan, RaiseConcern command, DateTimeOffset now, Receipt? earlier = null)
    {
        if (plan is null) return Rejection.PlanNotFound(command.PlanId);
        if (command.Caller.MayReportAs(plan, command.MemberId) is { } refused) return refused;
        if (earlier.Repeat(ReportKind.Concern) is { } repeat) return repeat;
        if (plan.MustBeOpen(command.PlanId) is { } closed) return closed;

        var raised = new ConcernRaised(command.ConcernId, command.ClientId, command.MemberId, command.Text.Trim(), command.Severity, now);
        var breach = new BreachRecorded(DerivedId.From(command.ConcernId, "breach"), BreachKind.Concern, null, command.ConcernId,
            command.Severity, now, OccurredAt: now);
        return Decision.Accept(new Receipt(ReportKind.Concern, command.ConcernId, null, null),
            [raised, breach, .. BottomLineCrossings.Follow(plan, breach, now)]);
    }

    public static Rejection? Validate(RaiseConcernRequest request, out Severity severity)
    {
        var errors = new FieldErrors().ClientId(request.ClientId).Required("text", request.Text, Bounds.NoteLength);
        if (request.MemberId is null) errors.Add("memberId", "'memberId' is required.", "'memberId' is verplicht.");
        if (!ContractValues.TryParseEnum(request.Severity, out severity))
            errors.Add("severity", "'severity' must be low, medium or high.", "'severity' moet low, medium of high zijn.");
        return errors.ToRejection();
    }
}

public static class RaiseConcernHandler
{
    public static Task<Decision<Receipt>> Handle(RaiseConcern command, PlanStreams plans, Marten.IDocumentStore store, CancellationToken ct) =>
        plans.Decide(store, command.PlanId, command.MemberId, command.ClientId, command.Caller, command.GetType().Name,
            (plan, earlier, now) => RaiseConcern.Decide(plan, command, now, earlier), ct);
}

public static class RaiseConcernEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/concerns", async (
            Guid planId, [FromBody] RaiseConcernRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (RaiseConcern.Validate(request, out var severity) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new RaiseConcern(planId, Guid.NewGuid(), request.ClientId!.Trim(), request.MemberId!.Value, request.Text!, severity, caller);
            return await bus.Decide<Receipt>(command, caller, ct, receipt => $"/api/plans/{planId}/concerns/{receipt.Id}");
        })
        .RequireAuthorization(Policies.Reporter)
        .WithSummary("Raise a concern (a worry outside any agreement). Idempotent by clientId.")
        .Produces<Receipt>(StatusCodes.Status201Created)
        .Produces<Receipt>();
}
