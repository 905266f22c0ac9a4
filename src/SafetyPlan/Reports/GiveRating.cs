namespace SafetyPlan.Reports;

/// <summary>A rating as sent to POST /api/plans/{planId}/ratings and from the member page (api-contract.md, "Reports").</summary>
public sealed record GiveRatingRequest([property: MaxLength(Bounds.IdLength)] string? ClientId, Guid? MemberId, [property: Range(0, 10)] int? Score, [property: MaxLength(Bounds.NoteLength)] string? Note)
{
    /// <summary>The one place this request becomes its command (the API and the member page): a new rating id, the clientId and note trimmed, a blank note absent; or 400 naming every wrong field.</summary>
    public Decision<GiveRating> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().ClientId(ClientId).Optional("note", Note, Bounds.NoteLength);
        if (MemberId is null) errors.Add("memberId", "'memberId' is required.", "'memberId' is verplicht.");
        if (Score is not (>= 0 and <= 10))
            errors.Add("score", "'score' must be a whole number from 0 to 10.", "'score' moet een geheel getal van 0 tot 10 zijn.");
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new GiveRating(planId, Guid.NewGuid(), ClientId!.Trim(), MemberId!.Value, Score!.Value,
            string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(), caller));
    }

    /// <summary>POST /api/plans/{planId}/ratings: 201 with the receipt, 200 with the first one for a repeated clientId, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<Receipt>> Post(Guid planId, [FromBody] GiveRatingRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Report), receipt => $"/api/plans/{planId}/ratings/{receipt.Id}");
}

/// <summary>A member's answer to the scaling question: how safe are the children now, from 0 to 10.</summary>
public sealed record GiveRating(Guid PlanId, Guid RatingId, string ClientId, Guid MemberId, int Score, string? Note, Caller Caller) : IReport
{
    Decision<Receipt> IReport.Decide(Plan? plan, DateTimeOffset now, Receipt? earlier) => Decide(plan, this, now, earlier);

    /// <param name="earlier">The receipt of an earlier report with the same clientId on this plan, if any.</param>
    public static Decision<Receipt> Decide(Plan? plan, GiveRating command, DateTimeOffset now, Receipt? earlier = null)
    {
        if (plan.Refuses(command, earlier, ReportKind.Rating, out var answer)) return answer;
        return Decision.Accept(new Receipt(ReportKind.Rating, command.RatingId, null, null),
            new SafetyRated(command.RatingId, command.ClientId, command.MemberId, command.Score, command.Note, now));
    }
}
