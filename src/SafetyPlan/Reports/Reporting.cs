using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;

namespace SafetyPlan.Reports;

/// <summary>Rules shared by check-ins, concerns and ratings: who may report, and idempotency by the client's id.</summary>
public static class Reporting
{
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

    /// <summary>The earlier answer when this client id was already used for the same kind of report.</summary>
    public static Decision<Receipt>? Repeat(this Plan plan, string clientId, ReportKind kind)
    {
        if (!plan.Receipts.TryGetValue(clientId, out var receipt)) return null;
        return receipt.Kind == kind
            ? Decision.Repeat(receipt)
            : Rejection.Conflict("This clientId was already used for another kind of report.",
                "Deze clientId is al gebruikt voor een ander soort melding.");
    }

    public static FieldErrors ClientId(this FieldErrors errors, string? clientId) => errors.Required("clientId", clientId, 100);
}
