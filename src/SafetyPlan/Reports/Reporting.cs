using System.Diagnostics.CodeAnalysis;
using JasperFx;

namespace SafetyPlan.Reports;

/// <summary>Rules shared by check-ins, concerns and ratings: who may report, and idempotency by the client's id.</summary>
public static class Reporting
{
    /// <summary>
    /// What every report passes before it is decided on its merits, in this order: the plan exists (404), the caller may
    /// report as the member (403), a repeat of the member's clientId answers the first receipt (409 when that was another
    /// kind of report), and the plan is not closed (409). True with that <paramref name="answer"/> when the report goes no further.
    /// </summary>
    public static bool Refuses([NotNullWhen(false)] this Plan? plan, IReport report, Receipt? earlier, ReportKind kind,
        [NotNullWhen(true)] out Decision<Receipt>? answer)
    {
        if (plan is null) answer = Rejection.PlanNotFound(report.PlanId);
        else if (report.Caller.MayReportAs(plan, report.MemberId) is { } refused) answer = refused;
        else if (earlier.Repeat(kind) is { } repeat) answer = repeat;
        else if (plan.MustBeOpen(report.PlanId) is { } closed) answer = closed;
        else answer = null;
        return answer is not null;
    }

    /// <summary>A member reports only as themselves on their own plan; a professional may record a report for a member (for example one given by phone).</summary>
    public static Rejection? MayReportAs(this Caller caller, Plan plan, Guid memberId)
    {
        if (caller.IsMember)
        {
            if (plan.ActiveMember(caller.MemberId!.Value) is null)
                return Rejection.Forbidden("You are not a member of this plan.", "U bent geen netwerklid van dit plan.");
            if (caller.MemberId != memberId)
                return Rejection.Forbidden("You can only report as yourself.", "U kunt alleen namens uzelf terugmelden.");
        }
        else if (!caller.IsProfessional)
        {
            return Rejection.Forbidden("Only network members and professionals can report.",
                "Alleen netwerkleden en professionals kunnen terugmelden.");
        }
        return plan.ActiveMember(memberId) is null ? PlanGuards.MemberNotFound(memberId) : null;
    }

    /// <summary>The earlier answer when this member already used this client id (<paramref name="earlier"/>) for the same kind of report.</summary>
    public static Decision<Receipt>? Repeat(this Receipt? earlier, ReportKind kind)
    {
        if (earlier is null) return null;
        return earlier.Kind == kind
            ? Decision.Repeat(earlier)
            : Rejection.Conflict("This clientId was already used for another kind of report.",
                "Deze clientId is al gebruikt voor een ander soort melding.");
    }

    public static FieldErrors ClientId(this FieldErrors errors, string? clientId) => errors.RequiredId("clientId", clientId, Web.Bounds.IdLength);

    /// <summary>
    /// Decides a report as if its clientId were new, which it almost always is: no extra read on that path. The receipt
    /// the report's event projects (<see cref="ReportReceiptProjection"/>) is inserted in the same transaction, so a clientId
    /// already used makes the append fail on the receipt's key and nothing is appended; only then, or when the decision
    /// is a rejection that the earlier receipt could turn into a repeat, is the receipt read and the report decided again
    /// with it, on the plan it was decided on (a repeat appends nothing, so it needs no fresh stream). After a failed
    /// append that instance already has the refused events applied in memory (UseIdentityMapForAggregates); a report
    /// never changes who is a member, which is all that is checked before the repeat is answered.
    /// This is the only place a report's clientId is looked up: every report is an <see cref="IReport"/> and comes here
    /// through <see cref="ReportHandler{TReport}"/>.
    /// </summary>
    public static async Task<Decision<Receipt>> Decide(this PlanStreams plans, IDocumentStore store, IReport report, CancellationToken ct)
    {
        (Plan? Plan, DateTimeOffset Now)? decided = null;
        Decision<Receipt> decision;
        try
        {
            decision = await plans.Decide(report.PlanId, report.Caller, report.GetType().Name, (plan, now) =>
            {
                decided = (plan, now);
                return report.Decide(plan, now, null);
            }, ct);
            if (decision.Accepted || decided?.Plan is null) return decision;
        }
        catch (DocumentAlreadyExistsException e) when (e.DocType == typeof(ReportReceipt) && decided is not null)
        {
            decision = Rejection.Conflict("The plan was changed by someone else at the same moment; please try again.",
                "Het plan werd op hetzelfde moment door iemand anders gewijzigd; probeer het opnieuw.");
        }
        await using var session = store.QuerySession(Organisations.Tenants.Of(report.Caller));
        var earlier = await ReportReceipt.Find(session, report.PlanId, report.MemberId, report.ClientId, ct);
        return earlier is null ? decision : report.Decide(decided!.Value.Plan, decided.Value.Now, earlier.ToReceipt());
    }
}

/// <summary>
/// A network member's report (check-in, concern, rating): idempotent by <see cref="ClientId"/>, unique per reporting member
/// on a plan (api-contract.md, "Reports"). Every report is handled by <see cref="ReportHandler{TReport}"/>.
/// </summary>
public interface IReport
{
    Guid PlanId { get; }
    /// <summary>The member the report is from (also when a professional records it for them).</summary>
    Guid MemberId { get; }
    /// <summary>The client's idempotency key, trimmed; at most <see cref="Web.Bounds.IdLength"/> characters.</summary>
    string ClientId { get; }
    Caller Caller { get; }

    /// <summary>The pure decision on <paramref name="plan"/> at <paramref name="now"/>, given the receipt of an earlier report with this clientId by this member (<paramref name="earlier"/>), if any.</summary>
    Decision<Receipt> Decide(Plan? plan, DateTimeOffset now, Receipt? earlier);
}

/// <summary>The one Wolverine handler of every report, closed per report type at start-up as <see cref="PlanCommandHandlers"/> says.</summary>
public static class ReportHandler<TReport> where TReport : IReport
{
    public static Task<Decision<Receipt>> Handle(TReport report, PlanStreams plans, IDocumentStore store, CancellationToken ct) =>
        plans.Decide(store, report, ct);
}
