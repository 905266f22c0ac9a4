using SafetyPlan.BottomLines;

namespace SafetyPlan.Reports;

/// <summary>A concern as sent to POST /api/plans/{planId}/concerns and from the member page (api-contract.md, "Reports").</summary>
/// <param name="Severity">low, medium or high</param>
public sealed record RaiseConcernRequest([property: MaxLength(Bounds.IdLength)] string? ClientId, Guid? MemberId, [property: MaxLength(Bounds.NoteLength)] string? Text, string? Severity)
{
    /// <summary>The one place this request becomes its command (the API and the member page): a new concern id, the clientId trimmed; or 400 naming every wrong field.</summary>
    public Decision<RaiseConcern> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().ClientId(ClientId).Required("text", Text, Bounds.NoteLength);
        if (MemberId is null) errors.Add("memberId", "'memberId' is required.", "'memberId' is verplicht.");
        if (!ContractValues.TryParseEnum(Severity, out Severity severity))
            errors.Add("severity", "'severity' must be low, medium or high.", "'severity' moet low, medium of high zijn.");
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new RaiseConcern(planId, Guid.NewGuid(), ClientId!.Trim(), MemberId!.Value, Text!, severity, caller));
    }

    /// <summary>POST /api/plans/{planId}/concerns: 201 with the receipt, 200 with the first one for a repeated clientId, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<Receipt>> Post(Guid planId, [FromBody] RaiseConcernRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Report), receipt => $"/api/plans/{planId}/concerns/{receipt.Id}");
}

/// <summary>A worry outside any agreement. Every concern is a breach; bottom lines on concerns decide whether it escalates.</summary>
public sealed record RaiseConcern(Guid PlanId, Guid ConcernId, string ClientId, Guid MemberId, string Text, Severity Severity, Caller Caller) : IReport
{
    Decision<Receipt> IReport.Decide(Plan? plan, DateTimeOffset now, Receipt? earlier) => Decide(plan, this, now, earlier);

    /// <param name="earlier">The receipt of an earlier report with the same clientId on this plan, if any.</param>
    public static Decision<Receipt> Decide(Plan? plan, RaiseConcern command, DateTimeOffset now, Receipt? earlier = null)
    {
        if (plan.Refuses(command, earlier, ReportKind.Concern, out var answer)) return answer;

        var raised = new ConcernRaised(command.ConcernId, command.ClientId, command.MemberId, command.Text.Trim(), command.Severity, now);
        var breach = new BreachRecorded(DerivedId.From(command.ConcernId, "breach"), BreachKind.Concern, null, command.ConcernId,
            command.Severity, now, OccurredAt: now);
        return Decision.Accept(new Receipt(ReportKind.Concern, command.ConcernId, null, null),
            [raised, breach, .. BottomLineCrossings.Follow(plan, breach, now)]);
    }
}
