using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Reports;

public sealed record GiveRatingRequest([property: MaxLength(Bounds.IdLength)] string? ClientId, Guid? MemberId, [property: Range(0, 10)] int? Score, [property: MaxLength(Bounds.NoteLength)] string? Note);

/// <summary>A member's answer to the scaling question: how safe are the children now, from 0 to 10.</summary>
public sealed record GiveRating(Guid PlanId, Guid RatingId, string ClientId, Guid MemberId, int Score, string? Note, Caller Caller)
{
    /// <param name="earlier">The receipt of an earlier report with the same clientId on this plan, if any.</param>
    public static Decision<Receipt> Decide(Plan? plan, GiveRating command, DateTimeOffset now, Receipt? earlier = null)
    {
        if (plan is null) return Rejection.PlanNotFound(command.PlanId);
        if (command.Caller.MayReportAs(plan, command.MemberId) is { } refused) return refused;
        if (earlier.Repeat(ReportKind.Rating) is { } repeat) return repeat;
        if (plan.MustBeOpen(command.PlanId) is { } closed) return closed;
        return Decision.Accept(new Receipt(ReportKind.Rating, command.RatingId, null, null),
            new SafetyRated(command.RatingId, command.ClientId, command.MemberId, command.Score, command.Note, now));
    }

    public static Rejection? Validate(GiveRatingRequest request)
    {
        var errors = new FieldErrors().ClientId(request.ClientId).Optional("note", request.Note, Bounds.NoteLength);
        if (request.MemberId is null) errors.Add("memberId", "'memberId' is required.", "'memberId' is verplicht.");
        if (request.Score is not (>= 0 and <= 10))
            errors.Add("score", "'score' must be a whole number from 0 to 10.", "'score' moet een geheel getal van 0 tot 10 zijn.");
        return errors.ToRejection();
    }
}

public static class GiveRatingHandler
{
    public static Task<Decision<Receipt>> Handle(GiveRating command, PlanStreams plans, Marten.IDocumentStore store, CancellationToken ct) =>
        plans.Decide(store, command.PlanId, command.MemberId, command.ClientId, command.Caller, command.GetType().Name,
            (plan, earlier, now) => GiveRating.Decide(plan, command, now, earlier), ct);
}

public static class GiveRatingEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/ratings", async (
            Guid planId, [FromBody] GiveRatingRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (GiveRating.Validate(request) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new GiveRating(planId, Guid.NewGuid(), request.ClientId!.Trim(), request.MemberId!.Value, request.Score!.Value,
                string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(), caller);
            return await bus.Decide<Receipt>(command, caller, ct, receipt => $"/api/plans/{planId}/ratings/{receipt.Id}");
        })
        .RequireAuthorization(Policies.Reporter)
        .WithSummary("Give a safety rating from 0 to 10. Idempotent by clientId.")
        .Produces<Receipt>(StatusCodes.Status201Created)
        .Produces<Receipt>();
}
