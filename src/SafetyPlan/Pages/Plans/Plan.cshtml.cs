using SafetyPlan.Audit;
using SafetyPlan.Reports;
using SafetyPlan.Scheduling;

namespace SafetyPlan.Pages.Plans;

/// <summary>
/// One plan for the monitoring professional: compliance per agreement over time, the safety scale per member, breaches,
/// escalations with their response times, and the upcoming deadlines.
/// </summary>
[Authorize(Policy = Policies.Reader)]
[Audit.CaseDataRead("page")]
public sealed class PlanModel(IQuerySession session, TimeProvider clock, Wolverine.IMessageBus bus) : AppPage
{
    public static readonly int ChartOccurrences = 28;

    public Plan Plan { get; private set; } = new();
    public PlanStatus Status { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public List<(Agreement Agreement, AgreementView View, IReadOnlyList<(DateTimeOffset Occurrence, OccurrenceState State)> Occurrences)> Compliance { get; } = [];
    public List<Deadline> Deadlines { get; private set; } = [];
    /// <summary>Deliveries that ended as failed, or that failed and wait for another attempt: what did not arrive.</summary>
    public List<Delivery> Undelivered { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid planId, string? done, CancellationToken ct)
    {
        Done = done is "evaluation" or "acknowledged" or "resolved" or "handover" ? done : null;
        return await Load(planId, ct) ?? Page();
    }

    /// <summary>Acknowledges one of the plan's escalations (the link in an escalation's e-mail lands on its row): as on the dashboard.</summary>
    public Task<IActionResult> OnPostAcknowledgeAsync(Guid planId, Guid escalationId, string? note, CancellationToken ct) =>
        RespondToEscalation(escalationId, resolve: false, note, session, bus, () => Load(planId, ct),
            done => $"/plans/{planId}?done={done}#escalation-{escalationId}", ct);

    /// <summary>Resolves one of the plan's escalations with a note: as on the dashboard.</summary>
    public Task<IActionResult> OnPostResolveAsync(Guid planId, Guid escalationId, string? note, CancellationToken ct) =>
        RespondToEscalation(escalationId, resolve: true, note, session, bus, () => Load(planId, ct),
            done => $"/plans/{planId}?done={done}#escalation-{escalationId}", ct);

    /// <summary>The evaluation, through the same command as POST /api/plans/{id}/evaluations.</summary>
    public async Task<IActionResult> OnPostEvaluationAsync(Guid planId, string? outcome, string? notes, DateOnly? nextEvaluationDue, CancellationToken ct)
    {
        if (!Caller.IsProfessional) return Forbid();
        var decision = await new Evaluations.RecordEvaluationRequest(outcome, notes, nextEvaluationDue).ToCommand(planId, Caller)
            .Then(command => bus.Decide(command, ct));
        if (decision.Rejection is not { } rejection) return LocalRedirect($"/plans/{planId}?done=evaluation");
        return await Load(planId, ct) ?? Refused(rejection);
    }

    /// <summary>The handover of monitoring, through the same request and command as POST /api/plans/{id}/handover.</summary>
    public async Task<IActionResult> OnPostHandoverAsync(Guid planId, string? toMonitorId, string? toBackupId, string? note, CancellationToken ct)
    {
        if (!Caller.IsProfessional) return Forbid();
        var decision = await new Handover.HandoverRequest(toMonitorId, string.IsNullOrWhiteSpace(toBackupId) ? null : toBackupId, note)
            .Send(planId, Caller, session, bus, ct);
        // Who handed over and is no longer of the plan (not monitor, backup or of its team) goes back to their dashboard.
        if (decision.Rejection is not { } rejection)
            return (await ReadablePlan(session, planId, ct)).Plan is not null ? LocalRedirect($"/plans/{planId}?done=handover") : LocalRedirect("/");
        return await Load(planId, ct) ?? Refused(rejection);
    }

    /// <summary>
    /// Opens a case audit with <paramref name="professionalId"/> (auditors, or the professional's team lead), through the
    /// same request as POST /api/plans/{id}/case-audits; done (also when this auditor's audit was open already): the
    /// audit's page; refused: this page with the reason; 403 for anyone else.
    /// </summary>
    public async Task<IActionResult> OnPostCaseAuditAsync(Guid planId, string? professionalId, CancellationToken ct)
    {
        if (!MayOpenCaseAudit) return Forbid();
        var decision = await new SafetyPlan.CaseAudits.OpenCaseAuditRequest(professionalId).Send(planId, Caller, session, bus, ct);
        if (decision.Rejection is not { } rejection) return LocalRedirect($"/plans/{planId}/case-audits/{decision.Result!.Id}");
        return await Load(planId, ct) ?? Refused(rejection);
    }

    /// <summary>Auditors and team leads see the form to open a case audit; its decision checks a team lead's team.</summary>
    public bool MayOpenCaseAudit => Caller.IsAuditor || Caller.IsTeamLead;

    /// <summary>Whom an audit can be opened with: the plan's monitors and backups, now and before each handover, but not the caller.</summary>
    public IReadOnlyList<string> AuditCandidates => new[] { Plan.MonitorId, Plan.BackupId }
        .Concat(Plan.Handovers.SelectMany(h => new[] { h.FromMonitorId, h.FromBackupId })).OfType<string>()
        .Where(id => id.Length > 0 && id != Caller.UserId).Distinct().ToList();

    /// <summary>The plan's case audits this caller may read (CaseAuditGuards.MayRead), newest first: linked from the page.</summary>
    public IReadOnlyList<CaseAudit> ReadableAudits => Plan.CaseAudits.Where(a => SafetyPlan.CaseAudits.CaseAuditGuards.MayRead(a, Caller))
        .OrderByDescending(a => a.OpenedAt).ToList();

    /// <summary>Whether the caller may hand monitoring over (the rule of Handover/HandOverMonitoring.Decide): then the form shows.</summary>
    public bool MayHandOver { get; private set; }

    /// <summary>The organisation's professional accounts the plan can be handed over to, by name (at most 500).</summary>
    public IReadOnlyList<People.UserAccount> Professionals { get; private set; } = [];

    /// <summary>Loads the plan for the page; the refusal when this caller may not read it.</summary>
    private async Task<IActionResult?> Load(Guid planId, CancellationToken ct)
    {
        var (readable, refusal) = await ReadablePlan(session, planId, ct);
        if (readable is not { } plan) return refusal;
        var now = clock.GetUtcNow();
        Plan = plan;
        Zone = plan.Zone();
        Status = PlanStatusView.Status(plan, now);
        foreach (var agreement in plan.Agreements)
            Compliance.Add((agreement, Status.Agreements.First(a => a.Id == agreement.Id), MemberAgenda.Compliance(plan, agreement, now, ChartOccurrences)));
        Deadlines = Scheduling.Deadlines.Upcoming(plan).Where(d => d.Kind != DeadlineKind.Delivery).OrderBy(d => d.DueAt).Take(12).ToList();
        Undelivered = plan.Deliveries.Values
            .Where(d => d.Status == DeliveryStatus.Failed || (d.Status == DeliveryStatus.Queued && d.Attempts > 0))
            .OrderByDescending(d => d.QueuedAt).ThenBy(d => d.Key, StringComparer.Ordinal).Take(20).ToList();
        MayHandOver = Caller.IsProfessional && plan.State != PlanState.Closed
            && (Caller.UserId == plan.MonitorId || Caller.UserId == plan.BackupId
                || (plan.TeamId is { } team && await PlanAccess.TeamOf(Caller, session, ct) == team));
        if (MayHandOver)
            Professionals = await session.Query<People.UserAccount>().Where(u => u.Roles.Contains(Caller.Professional))
                .OrderBy(u => u.Name).Take(500).ToListAsync(ct);
        return null;
    }

    public string MemberName(Guid id) => Plan.Members.FirstOrDefault(m => m.Id == id)?.Name ?? "?";
    public string AgreementText(Guid? id) => Plan.Agreements.FirstOrDefault(a => a.Id == id)?.Text ?? "";
    public string BottomLineText(Guid id) => Plan.BottomLines.FirstOrDefault(b => b.Id == id)?.Text ?? "";

    public string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Format(Culture, T.HoursMinutes, (int)span.TotalHours, span.Minutes)
        : string.Format(Culture, T.Minutes, Math.Max(0, (int)span.TotalMinutes));

    public string DeadlineText(Deadline deadline) => deadline.Kind switch
    {
        DeadlineKind.CheckInDue => string.Format(Culture, T.DeadlineCheckIn, AgreementText(deadline.Ref)),
        DeadlineKind.Silence => string.Format(Culture, T.DeadlineSilence, BottomLineText(deadline.Ref!.Value)),
        DeadlineKind.AcknowledgeBy => T.DeadlineAcknowledge,
        DeadlineKind.EvaluationReminder => string.Format(Culture, T.DeadlineReminder, deadline.DaysBefore),
        DeadlineKind.EvaluationOverdue => T.DeadlineEvaluationOverdue,
        DeadlineKind.CheckInReminder => string.Format(Culture, T.DeadlineCheckInReminder, AgreementText(deadline.Ref)),
        DeadlineKind.PassToDuty => T.DeadlinePassToDuty,
        DeadlineKind.Delivery => T.DeadlineDelivery,
        DeadlineKind.ConferenceOverdue => T.DeadlineConferenceOverdue,
    };

    public string NotificationLine(Delivery delivery)
    {
        var recipient = delivery.RecipientUserId ?? (delivery.RecipientMemberId is { } member ? MemberName(member) : T.ToTheOrganisation);
        var channel = delivery.Channel switch { NotificationChannel.Email => "e-mail", NotificationChannel.Push => "push", _ => "webhook" };
        var (queued, subject) = (When(delivery.QueuedAt, Zone), T.NotificationSubjectName(delivery.Subject));
        return delivery.Status == DeliveryStatus.Failed
            ? string.Format(Culture, T.NotificationFailedLine, queued, subject, recipient, channel, delivery.Failure, delivery.Attempts)
            : string.Format(Culture, T.NotificationRetryingLine, queued, subject, recipient, channel, delivery.Attempts, When(delivery.NextAttemptAt, Zone));
    }

    public string Breach(Breach breach) => breach.Kind switch
    {
        BreachKind.NotKept => string.Format(Culture, T.BreachNotKept, AgreementText(breach.AgreementId)),
        BreachKind.Missed => string.Format(Culture, T.BreachMissed, AgreementText(breach.AgreementId)),
        _ => string.Format(Culture, T.BreachConcern, breach.Severity is { } s ? T.Severity(s) : ""),
    };
}
