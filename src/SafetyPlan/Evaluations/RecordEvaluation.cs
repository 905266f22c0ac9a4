namespace SafetyPlan.Evaluations;

/// <param name="NextEvaluationDue">After today in the plan's zone, at most two years ahead (Web/Bounds.cs); absent: six weeks on.</param>
/// <param name="Outcome">continue, adjust, close or escalate</param>
public sealed record RecordEvaluationRequest(string? Outcome, [property: MaxLength(Bounds.NotesLength)] string? Notes, DateOnly? NextEvaluationDue)
{
    /// <summary>The one place this request becomes its command (the API and the plan page): a new evaluation id; or 400 naming every wrong field. The date's bounds are the decision's (they need the plan's zone).</summary>
    public Decision<RecordEvaluation> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().Required("notes", Notes, Bounds.NotesLength);
        if (!ContractValues.TryParseEnum(Outcome, out EvaluationOutcome outcome))
            errors.Add("outcome", "'outcome' must be continue, adjust, close or escalate.", "'outcome' moet continue, adjust, close of escalate zijn.");
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new RecordEvaluation(planId, Guid.NewGuid(), outcome, Notes!, NextEvaluationDue, caller));
    }

    /// <summary>POST /api/plans/{planId}/evaluations: 201 with the evaluation and the plan's next state, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<EvaluationResult>> Post(Guid planId, [FromBody] RecordEvaluationRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Decide), evaluation => $"/api/plans/{planId}/evaluations/{evaluation.Id}");
}

public sealed record EvaluationResult(Guid Id, EvaluationOutcome Outcome, PlanState State, int Revision, DateOnly? NextEvaluationDue);

/// <summary>
/// The plan's evaluation: continue, adjust (a new revision of the plan), close, or escalate (the case goes beyond the
/// network). Unless the plan closes, a next evaluation is due: the one given, or six weeks on. A plan cannot be closed
/// while an escalation is open (409; domain.md, "Rules for reports, time and alarms").
/// </summary>
public sealed record RecordEvaluation(Guid PlanId, Guid EvaluationId, EvaluationOutcome Outcome, string Notes, DateOnly? NextEvaluationDue, Caller Caller) : IPlanCommand<EvaluationResult>
{
    Decision<EvaluationResult> IPlanCommand<EvaluationResult>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

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
}
