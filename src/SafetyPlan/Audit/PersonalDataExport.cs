namespace SafetyPlan.Audit;

/// <summary>A network member's own data (GDPR access request): who they are in the plan, and everything they reported.</summary>
public sealed record PersonalData(
    Guid PlanId, Guid MemberId, string Name, MemberRole Role, string? Email, string? Phone,
    IReadOnlyList<CheckInLogged> CheckIns, IReadOnlyList<ConcernRaised> Concerns, IReadOnlyList<SafetyRated> Ratings,
    MemberRemoved? Removed = null, IReadOnlyList<NotificationQueued>? Notifications = null);

public static class PersonalDataExport
{
    public static void Map(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/members/{memberId:guid}/export", async (
            Guid planId, Guid memberId, HttpContext http, IQuerySession session, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (caller.IsMember && caller.MemberId != memberId && !caller.IsProfessional)
                return Rejection.Forbidden("You can only export your own data.", "U kunt alleen uw eigen gegevens opvragen.").ToProblem(caller.Language);
            var events = (await session.Events.FetchStreamAsync(planId, token: ct)).Select(e => e.Data).ToList();
            var member = events.OfType<MemberAdded>().FirstOrDefault(m => m.MemberId == memberId);
            if (member is null) return PlanGuards.MemberNotFound(memberId).ToProblem(caller.Language);
            return Results.Ok(new PersonalData(planId, memberId, member.Name, member.Role, member.Email, member.Phone,
                events.OfType<CheckInLogged>().Where(c => c.MemberId == memberId).ToList(),
                events.OfType<ConcernRaised>().Where(c => c.MemberId == memberId).ToList(),
                events.OfType<SafetyRated>().Where(r => r.MemberId == memberId).ToList(),
                events.OfType<MemberRemoved>().LastOrDefault(r => r.MemberId == memberId),
                events.OfType<NotificationQueued>().Where(n => n.RecipientMemberId == memberId).ToList()));
        })
        .RequireAuthorization(Policies.Reporter)
        .WithSummary("A member's own data: their details, every check-in, concern and rating they gave (with notes), their leaving, and what they were notified of (the member, or a professional on their request).")
        .Produces<PersonalData>();
}
