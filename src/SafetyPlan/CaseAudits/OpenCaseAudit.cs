using SafetyPlan.People;

namespace SafetyPlan.CaseAudits;

/// <summary>The body of POST /api/plans/{planId}/case-audits: the professional who monitored the plan.</summary>
public sealed record OpenCaseAuditRequest([property: MaxLength(Bounds.IdLength)] string? ProfessionalId)
{
    /// <summary>Retries when the plan's history moved between computing the facts and deciding (the sweep, a report).</summary>
    private const int Attempts = 5;

    /// <summary>
    /// POST /api/plans/{planId}/case-audits (auditors, or the professional's team lead): 201 <c>{ id }</c>; 200 with the
    /// same id when this auditor already has an open audit of this professional on the plan; 400 (professionalId missing,
    /// not the plan's monitor or backup, or the caller themselves), 403, 404, 409 (another auditor's audit of this
    /// professional is open).
    /// </summary>
    public static async Task<CreatedAnswer<CreatedId>> Post(Guid planId, [FromBody] OpenCaseAuditRequest request, IQuerySession session, [AsParameters] Sender send) =>
        send.Created(await request.Send(planId, send.Caller, session, send.Bus, send.Cancellation), audit => $"/api/plans/{planId}/case-audits/{audit.Id}");

    /// <summary>
    /// Opens the audit as <paramref name="caller"/> (the API and the plan page): the facts computed from the plan's
    /// history and decided by <see cref="OpenCaseAudit"/>, again when the history moved in between; the audit's id, or
    /// the rejection (400, 403, 404, 409 as <see cref="Post"/> answers).
    /// </summary>
    public async Task<Decision<CreatedId>> Send(Guid planId, Caller caller, IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        if (new FieldErrors().RequiredId("professionalId", ProfessionalId, Bounds.IdLength).ToRejection() is { } invalid) return invalid;
        var professionalId = ProfessionalId!.Trim();
        // The teams are documents, read here so that the decision stays pure.
        var (auditorTeam, professionalTeam) = caller.IsTeamLead
            ? (await PlanAccess.TeamOf(caller, session, ct), (await session.LoadAsync<UserAccount>(professionalId, ct))?.Team)
            : (null, null);
        Decision<CreatedId> decision = OpenCaseAudit.HistoryMoved;
        for (var attempt = 1; attempt <= Attempts && decision.Rejection == OpenCaseAudit.HistoryMoved; attempt++)
        {
            var events = await session.Events.FetchStreamAsync(planId, token: ct);
            var version = events.Count == 0 ? 0 : events[^1].Version;
            var facts = CaseAuditFactsOf.Of(events.Select(e => e.Data));
            decision = await bus.Decide(new OpenCaseAudit(planId, professionalId, facts, version, auditorTeam, professionalTeam, caller), ct);
        }
        return decision;
    }
}

/// <summary>
/// An auditor, or the professional's team lead, opens a collaborative case audit of the plan with the professional who
/// monitored it (its monitor or backup); the caller is the audit's auditor. The facts are those of the history at
/// <paramref name="AsOfVersion"/>, which must still be the plan's version (else <see cref="HistoryMoved"/>, and the
/// endpoint computes them again). One open audit per professional and auditor: opening it again answers its id.
/// </summary>
/// <param name="AuditorTeam">a team lead's team (claim or account); null for others</param>
/// <param name="ProfessionalTeam">the team on the professional's account, when the caller is a team lead</param>
public sealed record OpenCaseAudit(
    Guid PlanId, string ProfessionalId, CaseAuditFacts Facts, long AsOfVersion, string? AuditorTeam, string? ProfessionalTeam, Caller Caller)
    : IPlanCommand<CreatedId>, IDecidesItsOwnAccess
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    /// <summary>The facts were computed on an older version of the plan: compute them again (never answered to a client).</summary>
    public static readonly Rejection HistoryMoved = Rejection.Conflict(
        "The plan's history changed while the audit's facts were computed; please try again.",
        "De geschiedenis van het plan veranderde terwijl de feiten van de audit werden berekend; probeer het opnieuw.");

    /// <summary>The audit's id: the same plan, professional, auditor and history give the same id.</summary>
    public static Guid AuditId(Guid planId, string professionalId, string auditorId, long asOfVersion) =>
        DerivedId.From(planId, $"case-audit:{professionalId}:{auditorId}:{asOfVersion}");

    /// <summary>404 no plan; 403 neither auditor nor the professional's team lead; 400 not the plan's monitor or backup, or oneself; 409 another auditor's audit is open.</summary>
    public static Decision<CreatedId> Decide(Plan? plan, OpenCaseAudit command, DateTimeOffset now)
    {
        if (plan is null) return Rejection.PlanNotFound(command.PlanId);
        var caller = command.Caller;
        var teamLeadOfProfessional = caller.IsTeamLead && command.AuditorTeam is { } team && team == command.ProfessionalTeam;
        if (!caller.IsAuditor && !teamLeadOfProfessional)
            return Rejection.Forbidden("Only the organisation's auditors, or the professional's team lead, open a case audit.",
                "Alleen de auditors van de organisatie, of de teamleider van de professional, openen een casusaudit.");
        if (command.ProfessionalId == caller.UserId)
            return Rejection.Invalid("professionalId", "You cannot audit your own work: another auditor or team lead opens it.",
                "U kunt uw eigen werk niet auditen: een andere auditor of teamleider opent de audit.");
        // Monitors and backups from before a handover are audited for the time they monitored, like the one monitoring now.
        if (command.ProfessionalId != plan.MonitorId && command.ProfessionalId != plan.BackupId
            && !plan.Handovers.Any(h => h.FromMonitorId == command.ProfessionalId || h.FromBackupId == command.ProfessionalId))
            return Rejection.Invalid("professionalId", "'professionalId' must be the plan's monitor or backup, now or before a handover.",
                "'professionalId' moet de regiehouder of de achtervang van het plan zijn, nu of vóór een overdracht.");
        if (plan.CaseAudits.FirstOrDefault(a => a.ProfessionalId == command.ProfessionalId && !a.IsSigned) is { } open)
            return open.AuditorId == caller.UserId
                ? Decision.Repeat(new CreatedId(open.Id))
                : Rejection.Conflict("An audit of this professional on this plan is open with another auditor; sign that one first.",
                    "Er staat al een audit van deze professional op dit plan open bij een andere auditor; onderteken die eerst.");
        if (plan.Version != command.AsOfVersion) return HistoryMoved;
        var id = AuditId(command.PlanId, command.ProfessionalId, caller.UserId, command.AsOfVersion);
        return Decision.Accept(new CreatedId(id), new CaseAuditOpened(id, command.ProfessionalId, caller.UserId, command.Facts, command.AsOfVersion, now));
    }
}
