namespace SafetyPlan.Plans;

/// <summary>The checks almost every decision starts with.</summary>
public static class PlanGuards
{
    /// <summary>The plan exists and is not closed.</summary>
    public static Rejection? MustBeOpen(this Plan? plan, Guid planId) => plan switch
    {
        null => Rejection.PlanNotFound(planId),
        { State: PlanState.Closed } => Rejection.Conflict(
            "The plan is closed; it can no longer be changed or reported on.",
            "Het plan is afgesloten; het kan niet meer worden gewijzigd en er kan niet meer op worden teruggemeld."),
        _ => null,
    };

    public static Rejection? MustBeActive(this Plan? plan, Guid planId) => plan.MustBeOpen(planId) ?? (plan!.State == PlanState.Draft
        ? Rejection.Conflict(
            "The plan has not been agreed yet; check-ins start once the network has agreed it.",
            "Het plan is nog niet vastgesteld; terugmeldingen beginnen zodra het netwerk het heeft vastgesteld.")
        : null);

    /// <summary>The date it is at <paramref name="now"/> in the plan's own zone: what "today" means for its evaluation dates.</summary>
    public static DateOnly Today(this Plan plan, DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, plan.Zone()).DateTime);

    public static Rejection MemberNotFound(Guid memberId) => Rejection.NotFound(
        $"There is no member with id {memberId} in this plan.", $"Er is geen netwerklid met id {memberId} in dit plan.");

    public static Rejection AgreementNotFound(Guid agreementId) => Rejection.NotFound(
        $"There is no agreement with id {agreementId} in this plan.", $"Er is geen afspraak met id {agreementId} in dit plan.");
}
