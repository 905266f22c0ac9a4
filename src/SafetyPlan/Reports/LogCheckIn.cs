using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;

namespace SafetyPlan.Reports;

/// <summary>A check-in as sent to POST /api/plans/{planId}/check-ins and from the member page (api-contract.md, "Reports").</summary>
/// <param name="Outcome">kept, partly or not-kept</param>
/// <param name="Occurrence">the occurrence reported on; absent: the one whose report window is open now</param>
public sealed record LogCheckInRequest(
    [property: MaxLength(Bounds.IdLength)] string? ClientId, Guid? AgreementId, Guid? MemberId, string? Outcome,
    [property: MaxLength(Bounds.NoteLength)] string? Note, DateTimeOffset? Occurrence)
{
    /// <summary>
    /// The one place this request becomes its command (the API and the member page): a new check-in id, the clientId
    /// and note trimmed, a blank note absent; or 400 naming every field that is missing, too long or not a choice.
    /// </summary>
    public Decision<LogCheckIn> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().ClientId(ClientId).Optional("note", Note, Bounds.NoteLength);
        if (AgreementId is null) errors.Add("agreementId", "'agreementId' is required.", "'agreementId' is verplicht.");
        if (MemberId is null) errors.Add("memberId", "'memberId' is required.", "'memberId' is verplicht.");
        if (!ContractValues.TryParseEnum(Outcome, out CheckInOutcome outcome))
            errors.Add("outcome", "'outcome' must be kept, partly or not-kept.", "'outcome' moet kept, partly of not-kept zijn.");
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new LogCheckIn(planId, Guid.NewGuid(), ClientId!.Trim(), AgreementId!.Value, MemberId!.Value, outcome,
            string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(), Occurrence, caller));
    }

    /// <summary>POST /api/plans/{planId}/check-ins: 201 with the receipt, 200 with the first one for a repeated clientId, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<Receipt>> Post(Guid planId, [FromBody] LogCheckInRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Report), receipt => $"/api/plans/{planId}/check-ins/{receipt.Id}");
}

public sealed record LogCheckIn(
    Guid PlanId, Guid CheckInId, string ClientId, Guid AgreementId, Guid MemberId, CheckInOutcome Outcome, string? Note,
    DateTimeOffset? Occurrence, Caller Caller) : IReport
{
    Decision<Receipt> IReport.Decide(Plan? plan, DateTimeOffset now, Receipt? earlier) => Decide(plan, this, now, earlier);

    /// <summary>
    /// A check-in, by the rules of domain.md ("Who reports on what", "Which occurrence", "Breaches are dated when they
    /// happened"). Refused with 403 when the reporting member is neither the agreement's responsible member nor one of its
    /// reporters; 409 on a closed or draft plan, a withdrawn agreement, or an occurrence whose window is not open yet; 400
    /// for a time that is not an occurrence. A report after the window is late: recorded, never erasing the missed
    /// check-in. An occurrence has at most one breach: the first not-kept report on it, dated at the occurrence.
    /// </summary>
    /// <param name="earlier">The receipt of an earlier report by the same member with the same clientId on this plan, if any.</param>
    public static Decision<Receipt> Decide(Plan? plan, LogCheckIn command, DateTimeOffset now, Receipt? earlier = null)
    {
        if (plan.Refuses(command, earlier, ReportKind.CheckIn, out var answer)) return answer;
        if (plan.MustBeActive(command.PlanId) is { } notActive) return notActive;
        var agreement = plan.FindAgreement(command.AgreementId);
        if (agreement is null) return PlanGuards.AgreementNotFound(command.AgreementId);
        if (!agreement.MayBeReportedOnBy(command.MemberId))
            return Rejection.Forbidden("Only the agreement's responsible member, a reporter it names, or a professional for one of them can report on it; anyone else can raise a concern.",
                "Alleen wie verantwoordelijk is voor de afspraak, een melder die de afspraak noemt, of een professional namens een van hen kan erop terugmelden; ieder ander kan een zorg melden.");
        if (agreement.IsWithdrawn)
            return Rejection.Conflict("This agreement has been withdrawn; it takes no more check-ins.",
                "Deze afspraak is ingetrokken; er kan niet meer op worden teruggemeld.");

        var target = ReportWindow.For(plan, agreement, command.Occurrence, now);
        if (target.Rejection is { } notAnOccurrence) return notAnOccurrence;
        var (occurrence, late) = target.Result!;
        var correction = late && command.Caller.IsProfessional && !command.Caller.IsMember && command.Note is not null;

        var logged = new CheckInLogged(command.CheckInId, command.ClientId, agreement.Id, command.MemberId, command.Outcome,
            command.Note, occurrence, now, late, correction);
        var receipt = new Receipt(ReportKind.CheckIn, command.CheckInId, agreement.Id, occurrence, late);
        var record = agreement.FindOccurrence(occurrence);
        var slipped = command.Outcome == CheckInOutcome.NotKept
                      && (late ? correction && record is { Missed: false, Outcome: not null } : true);
        // The occurrence's breach is recorded once; its watchers' notice is asked again, which queues only one the
        // dispatcher skipped while the occurrence stood corrected to kept (Notify.MayBeQueuedAgain).
        if (slipped && plan.HasBreachOn(agreement.Id, occurrence))
            return Decision.Accept(receipt, [logged, .. Notifications.Notify.Slipped(plan, agreement, occurrence, now)]);
        if (!slipped) return Decision.Accept(receipt, logged);

        var breach = new BreachRecorded(DerivedId.From(command.CheckInId, "breach"), BreachKind.NotKept, agreement.Id,
            command.CheckInId, null, now, OccurredAt: occurrence, Occurrence: occurrence);
        return Decision.Accept(receipt, [logged, breach, .. BottomLineCrossings.Follow(plan, breach, now),
            .. Notifications.Notify.Slipped(plan, agreement, occurrence, now)]);
    }
}
