using System.Linq.Expressions;
using Marten.Linq;
using SafetyPlan.People;

namespace SafetyPlan.Auth;

/// <summary>
/// Who may read and who may change one plan (the roles' policies decide before this; tenancy has already hidden every
/// other organisation's plans, so everything here is within one organisation):
/// professionals act on and read the plans where they are monitor or backup, or that belong to their team; a duty
/// professional reads a plan while an escalation passed to them is open and responds to it, and changes nothing else;
/// auditors read every plan; members read their own plan; SafetyPlan itself (scheduled work) may do what time demands.
/// </summary>
public static class PlanAccess
{
    /// <summary>
    /// Whether the caller may change the plan. A duty professional may not: their one change, responding to an escalation
    /// passed to them, is a command that decides its own access (<see cref="Escalations.RespondToEscalation"/>).
    /// </summary>
    public static Task<Rejection?> MayChange(this Caller caller, Plan plan, IQuerySession session, CancellationToken ct) =>
        caller.MayChange(PlanParties.Of(plan), session, ct);

    public static async Task<Rejection?> MayChange(this Caller caller, PlanParties plan, IQuerySession session, CancellationToken ct)
    {
        if (caller.IsSystem) return null;
        // A member reports only on their own plan, as themselves: the report's own decision says so (Reporting.MayReportAs).
        if (caller.IsMember && !caller.IsProfessional) return null;
        if (caller.IsProfessional && await WorksOn(caller, plan, session, ct)) return null;
        return NotTheirs;
    }

    public static Task<Rejection?> MayRead(this Caller caller, Plan plan, IQuerySession session, CancellationToken ct) =>
        caller.MayRead(PlanParties.Of(plan), session, ct);

    public static async Task<Rejection?> MayRead(this Caller caller, PlanParties plan, IQuerySession session, CancellationToken ct)
    {
        if (caller.IsSystem || caller.IsAuditor) return null;
        if (caller.IsProfessional && (await WorksOn(caller, plan, session, ct) || plan.DutyIds.Contains(caller.UserId))) return null;
        if (caller.IsMember && plan.Members.Any(m => m.Id == caller.MemberId && m.RemovedAt is null)) return null;
        return caller.IsMember && !caller.IsProfessional
            ? Rejection.Forbidden("You are not a member of this plan.", "U bent geen netwerklid van dit plan.")
            : NotTheirs;
    }

    /// <summary>The caller's team: named at sign-in (claim <c>team</c>), else the one an admin recorded on their user account.</summary>
    public static async Task<string?> TeamOf(Caller caller, IQuerySession session, CancellationToken ct) =>
        caller.Team ?? (caller.UserId.Length == 0 ? null : (await session.LoadAsync<UserAccount>(caller.UserId, ct))?.Team);

    /// <summary>The plan's monitor, its backup, or a professional of its team: who works on the plan.</summary>
    private static async Task<bool> WorksOn(Caller caller, PlanParties plan, IQuerySession session, CancellationToken ct) =>
        caller.UserId == plan.MonitorId || caller.UserId == plan.BackupId
        || (plan.TeamId is { } team && await TeamOf(caller, session, ct) == team);

    private static Rejection NotTheirs => Rejection.Forbidden(
        "This plan is not yours: only its monitor, its backup and professionals of its team work on it.",
        "Dit plan is niet van u: alleen de regiehouder, de achtervang en professionals van het team werken eraan.");
}

/// <summary>
/// On every route with a <c>{planId}</c> that reads case data: the caller must be allowed to read that plan. An unknown
/// plan (or one of another organisation, which to this request's session does not exist) is left to the endpoint's 404.
/// </summary>
public sealed class PlanReadAccess : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.RouteValues.TryGetValue("planId", out var value) || !Guid.TryParse(value?.ToString(), out var planId))
            return await next(context);
        var session = http.RequestServices.GetRequiredService<IQuerySession>();
        // Only the plan's people, not its whole document: a long plan's document is large, and the endpoint loads what it needs.
        var plan = await session.QueryAsync(new PlanPartiesOf { PlanId = planId }, http.RequestAborted);
        var caller = http.Caller();
        if (plan is null) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);
        if (IsOwnDataOfFormerMember(http, caller, plan)) return await next(context);
        return await caller.MayRead(plan, session, http.RequestAborted) is { } refused
            ? refused.ToProblem(caller.Language)
            : await next(context);
    }

    /// <summary>Someone who left the network may still ask for their own data (the export route says what they may see).</summary>
    private static bool IsOwnDataOfFormerMember(HttpContext http, Caller caller, PlanParties plan) =>
        caller is { IsMember: true, IsProfessional: false } && caller.MemberId is { } memberId
        && http.Request.RouteValues.TryGetValue("memberId", out var value) && Guid.TryParse(value?.ToString(), out var asked) && asked == memberId
        && http.Request.Path.Value?.EndsWith("/export", StringComparison.Ordinal) == true
        && plan.Members.Any(m => m.Id == memberId);
}

/// <summary>Who works on a plan and who is in its network: all that deciding who may read or change it needs.</summary>
public sealed class PlanParties
{
    public string MonitorId { get; set; } = "";
    public string? BackupId { get; set; }
    public string? TeamId { get; set; }
    public List<Member> Members { get; set; } = [];
    /// <summary>Duty professionals the plan's escalations were passed to (<see cref="Plan.DutyIds"/>).</summary>
    public List<string> DutyIds { get; set; } = [];

    public static PlanParties Of(Plan plan) =>
        new() { MonitorId = plan.MonitorId, BackupId = plan.BackupId, TeamId = plan.TeamId, Members = plan.Members, DutyIds = plan.DutyIds };
}

/// <summary>A plan's <see cref="PlanParties"/>, read from its document in PostgreSQL without transferring the rest of it.</summary>
public sealed class PlanPartiesOf : ICompiledQuery<Plan, PlanParties?>
{
    public Guid PlanId { get; set; }

    public Expression<Func<IMartenQueryable<Plan>, PlanParties?>> QueryIs() => plans => plans
        .Where(p => p.Id == PlanId)
        .Select(p => new PlanParties { MonitorId = p.MonitorId, BackupId = p.BackupId, TeamId = p.TeamId, Members = p.Members, DutyIds = p.DutyIds })
        .FirstOrDefault();
}
