using SafetyPlan.CaseAudits;
using SafetyPlan.Escalations;
using SafetyPlan.Pages.Plans;
using SafetyPlan.People;

namespace SafetyPlan.Pages;

/// <summary>
/// The monitoring professional's overview: their plans red first, open escalations to acknowledge and resolve,
/// evaluations coming due. Auditors see every plan, to open its timeline. A team lead (role <c>teamlead</c>) sees the
/// plans whose audit page (<c>/plans/{id}/case-audits/open</c>) they may open, by number and the team's professionals
/// only; one with only that role sees nothing else here, as they may read no plan.
/// </summary>
[Authorize]
[Audit.CaseDataRead("page")]
public sealed class DashboardModel(IQuerySession session, IMessageBus bus) : AppPage
{
    public static readonly int EvaluationHorizonDays = 14;

    public List<PlanSummary> Plans { get; private set; } = [];
    public IReadOnlyList<EscalationView> Escalations { get; private set; } = [];
    /// <summary>Each open escalation's bottom-line rule, in the page's language.</summary>
    public Dictionary<Guid, string> Rules { get; private set; } = [];
    public List<PlanSummary> EvaluationsDue { get; private set; } = [];
    /// <summary>Plans with a referral whose first conference session was not held yet, the earliest due first.</summary>
    public List<PlanSummary> WaitingForConference { get; private set; } = [];
    public string? Done { get; private set; }
    /// <summary>For a team lead: each plan whose audit page lets them open or read an audit, with their team's professionals on it.</summary>
    public List<TeamAuditPlan> TeamAudits { get; private set; } = [];
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(DraftPlan.DefaultTimeZone);

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (Caller.IsTeamLead) TeamAudits = await TeamAuditsOf(ct);
        if (!Caller.IsProfessional && !Caller.IsAuditor)
            return Caller.IsTeamLead ? Page() : Caller.IsMember ? LocalRedirect("/member") : Forbid();
        Done = done is "acknowledged" or "resolved" ? done : null;
        await Load(ct);
        return Page();
    }

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid escalationId, string? note, CancellationToken ct) =>
        Respond(escalationId, resolve: false, note, ct);

    public Task<IActionResult> OnPostResolveAsync(Guid escalationId, string? note, CancellationToken ct) =>
        Respond(escalationId, resolve: true, note, ct);

    private Task<IActionResult> Respond(Guid escalationId, bool resolve, string? note, CancellationToken ct) =>
        RespondToEscalation(escalationId, resolve, note, session, bus, async () => { await Load(ct); return null; },
            done => $"/dashboard?done={done}", ct);

    private async Task Load(CancellationToken ct)
    {
        var now = Now;
        Plans = await PlanQueries.Summaries(session, Caller, now, null, null, ct);
        if (Caller.IsProfessional)
        {
            Escalations = (await EscalationInboxEndpoint.Inbox(session, Caller.UserId, null, ct)).Where(e => e.State != EscalationState.Resolved).ToList();
            // The stored reason is a record in English; people read the bottom line's rule in their own language.
            var plans = await session.LoadManyAsync<Plan>(ct, Escalations.Select(e => e.PlanId).Distinct());
            Rules = plans.SelectMany(p => p.BottomLines).ToDictionary(b => b.Id, b => b.Rule.Describe(Language));
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        EvaluationsDue = Plans.Where(p => p.State == PlanState.Active && p.NextEvaluationDue is { } due && due <= today.AddDays(EvaluationHorizonDays))
            .OrderBy(p => p.NextEvaluationDue).ToList();
        WaitingForConference = Plans.Where(p => p.ConferenceDue is not null).OrderBy(p => p.ConferenceDue).ToList();
    }

    /// <summary>
    /// The plans on which the team lead's audit page answers 200: a professional of their team (by the team on the
    /// account, as <see cref="OpenCaseAudit"/> decides) monitored it, or an audit of it is theirs to read. The same rule
    /// as <see cref="OpenCaseAuditModel"/>, so that no plan is listed whose page would refuse them.
    /// </summary>
    private async Task<List<TeamAuditPlan>> TeamAuditsOf(CancellationToken ct)
    {
        if (await PlanAccess.TeamOf(Caller, session, ct) is not { } team) return [];
        var colleagues = (await session.Query<UserAccount>().Where(a => a.Team == team).Select(a => a.Id).ToListAsync(ct)).ToArray();
        var plans = await session.Query<Plan>()
            .Where(p => colleagues.Contains(p.MonitorId) || colleagues.Contains(p.BackupId) || p.Handovers.Any() || p.CaseAudits.Any())
            .ToListAsync(ct);
        return plans
            .Select(p => new TeamAuditPlan(p.Id, OpenCaseAuditModel.Monitored(p, Caller.UserId).Where(colleagues.Contains).ToList(),
                p.CaseAudits.Where(a => CaseAuditGuards.MayRead(a, Caller)).Select(a => a.ProfessionalId).Distinct().ToList()))
            .Where(p => p.Professionals.Count > 0 || p.Audited.Count > 0)
            .OrderBy(p => string.Join(",", p.Professionals.Concat(p.Audited))).ThenBy(p => p.PlanId)
            .ToList();
    }

    /// <summary>A plan as a team lead's dashboard lists it: its id and who of the team monitored it; nothing else of the plan.</summary>
    /// <param name="Professionals">the team's professionals the team lead may audit on it</param>
    /// <param name="Audited">the professionals of the audits of it that the team lead may read</param>
    public sealed record TeamAuditPlan(Guid PlanId, IReadOnlyList<string> Professionals, IReadOnlyList<string> Audited)
    {
        /// <summary>The first eight hex digits of the id: enough to tell the plans apart, and in the link already.</summary>
        public string Number => PlanId.ToString("N")[..8];
        /// <summary>Who the line names: the team's professionals on the plan, or else those of the readable audits.</summary>
        public string Who => string.Join(", ", Professionals.Count > 0 ? Professionals : Audited);
    }

    public bool Overdue(DateOnly due) => due < DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, Zone).DateTime);
}
