using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Evaluations;

/// <param name="NextEvaluationDue">After today in the plan's zone, at most two years ahead (Web/Bounds.cs); absent: six weeks on.</param>
public sealed record RecordEvaluationRequest(string? Outcome, [property: MaxLength(Bounds.NotesLength)] string? Notes, DateOnly? NextEvaluationDue);

public sealed record EvaluationResult(Guid Id, EvaluationOutcome Outcome, PlanState State, int Revision, DateOnly? NextEvaluationDue);

/// <summary>
/// The plan's evaluation: continue, adjust (a new revision of the plan), close, or escalate (the case goes beyond the
/// network). Unless the plan closes, a next evaluation is due: the one given, or six weeks on. A plan cannot be closed
/// while an escalation is open (409; domain.md, "Rules for reports, time and alarms").
/// </summary>
public sealed record RecordEvaluation(Guid PlanId, Guid EvaluationId, EvaluationOutcome Outcome, string Notes, DateOnly? NextEvaluationDue, Caller Caller)
{
    public static readonly int DefaultWeeksToNextEvaluation = 6;

    public static Decision<EvaluationResult> Decide(Plan? plan, RecordEvaluation command, DateTimeOffset now)
    {
        if (plan.MustBeActive(command.PlanId) is { } rejected) return rejected;
        if (command.Outcome == EvaluationOutcome.Close && plan!.Escalations.Any(e => e.IsOpen))
            return Rejection.Conflict("A plan cannot be closed while an escalation is open: resolve it first.",
                "Een plan kan niet worden gesloten zolang er een escalatie openstaat: handel die eerst af.");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, plan!.Zone()).DateTime);
        DateOnly? next = command.Outcome == EvaluationOutcome.Close ? null : command.NextEvaluationDue ?? today.AddDays(7 * DefaultWeeksToNextEvaluation);
        var errors = new FieldErrors();
        if (next is { } due) Bounds.EvaluationDue(errors, due, today, "nextEvaluationDue");
        if (errors.ToRejection() is { } invalid) return invalid;
        var revision = command.Outcome == EvaluationOutcome.Adjust ? plan.Revision + 1 : plan.Revision;
        var state = command.Outcome == EvaluationOutcome.Close ? PlanState.Closed : PlanState.Active;
        return Decision.Accept(new EvaluationResult(command.EvaluationId, command.Outcome, state, revision, next),
            new EvaluationRecorded(command.EvaluationId, command.Outcome, command.Notes.Trim(), next, revision, now));
    }

    public static Rejection? Validate(RecordEvaluationRequest request, out EvaluationOutcome outcome)
    {
        var errors = new FieldErrors().Required("notes", request.Notes, Bounds.NotesLength);
        if (!ContractValues.TryParseEnum(request.Outcome, out outcome))
            errors.Add("outcome", "'outcome' must be continue, adjust, close or escalate.", "'outcome' moet continue, adjust, close of escalate zijn.");
        return errors.ToRejection();
    }
}

public static class RecordEvaluationHandler
{
    public static Task<Decision<EvaluationResult>> Handle(RecordEvaluation command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => RecordEvaluation.Decide(plan, command, now), ct);
}

public static class RecordEvaluationEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/evaluations", async (
            Guid planId, [FromBody] RecordEvaluationRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (RecordEvaluation.Validate(request, out var outcome) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new RecordEvaluation(planId, Guid.NewGuid(), outcome, request.Notes!, request.NextEvaluationDue, caller);
            return await bus.Decide<EvaluationResult>(command, caller, ct, result => $"/api/plans/{planId}/evaluations/{result.Id}");
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Record the plan's evaluation (professionals).")
        .Produces<EvaluationResult>(StatusCodes.Status201Created);
}
