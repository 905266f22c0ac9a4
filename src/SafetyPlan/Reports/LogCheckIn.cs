using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.BottomLines;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Reports;

public sealed record LogCheckInRequest(
    [property: MaxLength(Bounds.IdLength)] string? ClientId, Guid? AgreementId, Guid? MemberId, string? Outcome,
    [property: MaxLength(Bounds.NoteLength)] string? Note, DateTimeOffset? Occurrence);

public sealed record LogCheckIn(
    Guid PlanId, Guid CheckInId, string ClientId, Guid AgreementId, Guid MemberId, CheckInOutcome Outcome, string? Note,
    DateTimeOffset? Occurrence, Caller Caller)
{
    /// <param name="earlier">The receipt of an earlier report with the same clientId on this plan, if any.</param>
    public static Decision<Receipt> Decide(Plan? plan, LogCheckIn command, DateTimeOffset now, Receipt? earlier = null)
    {
        if (plan is null) return Rejection.PlanNotFound(command.PlanId);
        if (command.Caller.MayReportAs(plan, command.MemberId) is { } refused) return refused;
        if (earlier.Repeat(ReportKind.CheckIn) is { } repeat) return repeat;
        if (plan.MustBeOpen(command.PlanId) is { } closed) return closed;
        if (plan.MustBeActive(command.PlanId) is { } notActive) return notActive;
        var agreement = plan.FindAgreement(command.AgreementId);
        if (agreement is null) return PlanGuards.AgreementNotFound(command.AgreementId);
        if (agreement.IsWithdrawn)
            return Rejection.Conflict("This agreement has been withdrawn; it takes no more check-ins.",
                "Deze afspraak is ingetrokken; er kan niet meer op worden teruggemeld.");

        var occurrence = command.Occurrence is { } named
            ? CheckNamedOccurrence(plan, agreement, named, now)
            : Decision.Accept(OpenOccurrence(plan, agreement, now));
        if (occurrence.Rejection is { } notAnOccurrence) return notAnOccurrence;

        var logged = new CheckInLogged(command.CheckInId, command.ClientId, agreement.Id, command.MemberId, command.Outcome,
            command.Note, occurrence.Result, now);
        var receipt = new Receipt(ReportKind.CheckIn, command.CheckInId, agreement.Id, occurrence.Result);
        if (command.Outcome != CheckInOutcome.NotKept) return Decision.Accept(receipt, logged);

        var breach = new BreachRecorded(DerivedId.From(command.CheckInId, "breach"), BreachKind.NotKept, agreement.Id,
            command.CheckInId, null, now);
        return Decision.Accept(receipt, [logged, breach, .. BottomLineCrossings.Follow(plan, breach)]);
    }

    /// <summary>
    /// Without a named occurrence a check-in is about the most recent occurrence if nobody reported on it yet, else
    /// about the next one if nobody reported on that yet (reporting ahead: "done for today"). When both have a report,
    /// it is a later report on the most recent one (a correction): the newest report counts, the earlier stays in history.
    /// </summary>
    internal static DateTimeOffset OpenOccurrence(Plan plan, Agreement agreement, DateTimeOffset now)
    {
        var zone = plan.Zone();
        var start = agreement.StartsAfter(plan);
        var latest = agreement.Schedule.Occurrences(start > now.AddDays(-8) ? start : now.AddDays(-8), now, zone)
            .Cast<DateTimeOffset?>().LastOrDefault();
        var next = agreement.Schedule.Next(now > start ? now : start, zone);
        if (latest is { } l && IsOpen(agreement, l)) return l;
        if (next is { } n && IsOpen(agreement, n)) return n;
        return latest ?? next ?? agreement.Schedule.Occurrences(start, now, zone).Last();
    }

    private static Decision<DateTimeOffset> CheckNamedOccurrence(Plan plan, Agreement agreement, DateTimeOffset named, DateTimeOffset now)
    {
        var zone = plan.Zone();
        if (named <= agreement.StartsAfter(plan) || !agreement.Schedule.IsOccurrence(named, zone))
            return Rejection.Invalid("occurrence", "This is not a scheduled time of this agreement.",
                "Dit is geen gepland moment van deze afspraak.");
        var next = agreement.Schedule.Next(now, zone);
        if (named > now && named != next)
            return Rejection.Conflict("You can report ahead only on the next occurrence.",
                "Vooruit terugmelden kan alleen op het eerstvolgende moment.");
        return Decision.Accept(named);
    }

    private static bool IsOpen(Agreement agreement, DateTimeOffset occurrence) =>
        !agreement.Occurrences.Any(o => o.Occurrence == occurrence && (o.Outcome is not null || o.Missed));

    public static Rejection? Validate(LogCheckInRequest request, out CheckInOutcome outcome)
    {
        var errors = new FieldErrors().ClientId(request.ClientId).Optional("note", request.Note, Bounds.NoteLength);
        if (request.AgreementId is null) errors.Add("agreementId", "'agreementId' is required.", "'agreementId' is verplicht.");
        if (request.MemberId is null) errors.Add("memberId", "'memberId' is required.", "'memberId' is verplicht.");
        if (!ContractValues.TryParseEnum(request.Outcome, out outcome))
            errors.Add("outcome", "'outcome' must be kept, partly or not-kept.", "'outcome' moet kept, partly of not-kept zijn.");
        return errors.ToRejection();
    }
}

public static class LogCheckInHandler
{
    public static Task<Decision<Receipt>> Handle(LogCheckIn command, PlanStreams plans, Marten.IDocumentStore store, CancellationToken ct) =>
        plans.Decide(store, command.PlanId, command.ClientId, command.Caller, command.GetType().Name,
            (plan, earlier, now) => LogCheckIn.Decide(plan, command, now, earlier), ct);
}

public static class LogCheckInEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/check-ins", async (
            Guid planId, [FromBody] LogCheckInRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (LogCheckIn.Validate(request, out var outcome) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new LogCheckIn(planId, Guid.NewGuid(), request.ClientId!.Trim(), request.AgreementId!.Value,
                request.MemberId!.Value, outcome, string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
                request.Occurrence, caller);
            return await bus.Decide<Receipt>(command, caller, ct, receipt => $"/api/plans/{planId}/check-ins/{receipt.Id}");
        })
        .RequireAuthorization(Policies.Reporter)
        .WithSummary("Log a check-in on one occurrence of an agreement (the member themselves, or a professional for them). Idempotent by clientId.")
        .Produces<Receipt>(StatusCodes.Status201Created)
        .Produces<Receipt>();
}
