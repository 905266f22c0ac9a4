using SafetyPlan.CaseAudits;
using SafetyPlan.People;

namespace SafetyPlan.Pages.Plans;

/// <summary>
/// Opening a collaborative case audit of a plan, for whoever POST /api/plans/{planId}/case-audits accepts and nothing
/// more: the organisation's auditors and a team lead (role <c>teamlead</c>) of the professional who monitored the plan.
/// A team lead without the professional or auditor role may not read the plan itself (its page and API answer 403), so
/// this page shows none of it: only whom they may audit (the plan's monitors and backups, now or before a handover,
/// whose account names the team lead's team; an auditor: all of them) and the plan's audits they may read. Opening goes
/// through the same <see cref="OpenCaseAuditRequest.Send"/> as the API and lands on the audit's page. 403 for a team lead
/// with no one to audit on this plan and no audit to read (the API's rule: another team's professional is not theirs),
/// 404 for no such plan (also of another organisation).
/// </summary>
[Authorize(Policy = Policies.CaseAuditOpener)]
[SafetyPlan.Audit.CaseDataRead("page")]
public sealed class OpenCaseAuditModel(IQuerySession session, IMessageBus bus) : AppPage
{
    public Guid PlanId { get; private set; }
    /// <summary>The user ids the caller may open an audit with (the decision checks them again).</summary>
    public IReadOnlyList<string> Candidates { get; private set; } = [];
    /// <summary>The plan's audits this caller may read (CaseAuditGuards.MayRead), newest first.</summary>
    public IReadOnlyList<SafetyPlan.Plans.CaseAudit> Audits { get; private set; } = [];
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGetAsync(Guid planId, CancellationToken ct) => await Load(planId, ct) ?? Page();

    /// <summary>Opens the audit with <paramref name="professionalId"/>: done (also when it was open already), the audit's page; refused, this page with the reason.</summary>
    public async Task<IActionResult> OnPostAsync(Guid planId, string? professionalId, CancellationToken ct)
    {
        var decision = await new OpenCaseAuditRequest(professionalId).Send(planId, Caller, session, bus, ct);
        if (decision.Rejection is not { } rejection) return LocalRedirect($"/plans/{planId}/case-audits/{decision.Result!.Id}");
        return await Load(planId, ct) ?? Refused(rejection);
    }

    private async Task<IActionResult?> Load(Guid planId, CancellationToken ct)
    {
        if (await session.LoadAsync<SafetyPlan.Plans.Plan>(planId, ct) is not { } plan) return NotFound();
        var everyone = Monitored(plan, Caller.UserId);
        if (Caller.IsAuditor) Candidates = everyone;
        else if (await PlanAccess.TeamOf(Caller, session, ct) is { } team)
        {
            // The same team rule as OpenCaseAudit.Decide: the team on the professional's account.
            var accounts = await session.LoadManyAsync<UserAccount>(ct, everyone);
            Candidates = everyone.Where(id => accounts.Any(a => a.Id == id && a.Team == team)).ToList();
        }
        Audits = plan.CaseAudits.Where(a => CaseAuditGuards.MayRead(a, Caller)).OrderByDescending(a => a.OpenedAt).ToList();
        if (!Caller.IsAuditor && Candidates.Count == 0 && Audits.Count == 0) return Forbid();
        (PlanId, Zone) = (planId, plan.Zone());
        return null;
    }

    /// <summary>Who monitored <paramref name="plan"/> (its monitor and backup, now or before a handover), but <paramref name="callerId"/>: whom an audit of it may be with.</summary>
    public static List<string> Monitored(SafetyPlan.Plans.Plan plan, string callerId) =>
        new[] { plan.MonitorId, plan.BackupId }
            .Concat(plan.Handovers.SelectMany(h => new[] { h.FromMonitorId, h.FromBackupId })).OfType<string>()
            .Where(id => id.Length > 0 && id != callerId).Distinct().ToList();
}
