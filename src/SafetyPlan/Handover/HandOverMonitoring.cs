using SafetyPlan.Notifications;
using SafetyPlan.People;

namespace SafetyPlan.Handover;

/// <summary>The body of POST /api/plans/{planId}/handover (api-contract.md, "The practice around the plan").</summary>
/// <param name="ToMonitorId">the new monitor: the user id of a professional account of the caller's organisation</param>
/// <param name="ToBackupId">
/// the new backup: a professional account too, other than <paramref name="ToMonitorId"/>. Left out (null or blank): the
/// plan KEEPS its current backup, except when that backup is the new monitor, whose plan then has no backup (the answer's
/// <c>backupId</c> is null). The API has no way to remove a backup without naming another.
/// </param>
/// <param name="Note">the handover note for the new monitor (free text, at most <see cref="Bounds.NoteLength"/> characters; masked at retention)</param>
public sealed record HandoverRequest(
    [property: MaxLength(Bounds.IdLength)] string? ToMonitorId, [property: MaxLength(Bounds.IdLength)] string? ToBackupId,
    [property: MaxLength(Bounds.NoteLength)] string? Note)
{
    /// <summary>
    /// The one place this request becomes its command (the API and the plan page): 400 naming every wrong field (no new
    /// monitor, a backup who is the new monitor, no note, a value over its bound). Whether the ids are professionals of
    /// the organisation is decided with the plan (<see cref="HandOverMonitoring.Decide"/>), after who may hand over.
    /// </summary>
    public Decision<HandOverMonitoring> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors()
            .RequiredId("toMonitorId", ToMonitorId, Bounds.IdLength)
            .OptionalId("toBackupId", ToBackupId, Bounds.IdLength)
            .Required("note", Note, Bounds.NoteLength);
        var toMonitor = ToMonitorId?.Trim();
        var toBackup = string.IsNullOrWhiteSpace(ToBackupId) ? null : ToBackupId.Trim();
        if (toBackup is not null && toBackup == toMonitor)
            errors.Add("toBackupId", "The backup must be someone other than the new monitoring professional.",
                "De achtervang moet iemand anders zijn dan de nieuwe regiehouder.");
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new HandOverMonitoring(planId, toMonitor!, toBackup, Note!.Trim(), caller, null, []));
    }

    /// <summary>
    /// What the decision needs to know beyond the plan, read first so that it stays pure: the caller's team and which of
    /// the named ids are professional accounts of the caller's organisation (the session is that organisation's, so
    /// another organisation's accounts do not exist to it).
    /// </summary>
    public static async Task<HandOverMonitoring> WithAccounts(HandOverMonitoring command, IQuerySession session, CancellationToken ct)
    {
        var professionals = new List<string>();
        foreach (var id in new[] { command.ToMonitorId, command.ToBackupId }.OfType<string>())
            if (await session.LoadAsync<UserAccount>(id, ct) is { } account && account.Roles.Contains(Caller.Professional))
                professionals.Add(id);
        return command with { CallerTeam = await Auth.PlanAccess.TeamOf(command.Caller, session, ct), Professionals = professionals };
    }

    /// <summary>
    /// POST /api/plans/{planId}/handover: 200 with the plan's monitor, backup and the open escalations the monitor now
    /// holds, also for a repeat of the plan's last handover (nothing appended); 409 for a handover to the current monitor
    /// that repeats no handover, or a closed plan; or 400/403/404.
    /// </summary>
    public static async Task<OkAnswer<HandoverResult>> Post(Guid planId, [FromBody] HandoverRequest request, IQuerySession session, [AsParameters] Sender send) =>
        send.Ok(await request.Send(planId, send.Caller, session, send.Bus, send.Cancellation));

    /// <summary>Validates, answers a retry of the handover just made by who made it, or decides the command (the API and the plan page).</summary>
    public async Task<Decision<HandoverResult>> Send(Guid planId, Caller caller, IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        var shaped = ToCommand(planId, caller);
        if (shaped.Rejection is { } invalid) return invalid;
        var command = await WithAccounts(shaped.Result!, session, ct);
        // The previous monitor or backup who retries their own handover is no longer on the plan (PlanStreams would
        // refuse them 403): the same 200, nothing appended.
        if (await PlanStreams.LoadWhole(session, planId, ct) is { } plan && HandOverMonitoring.RetryOfLast(plan, command) is { } repeat)
            return repeat;
        return await bus.Decide(command, ct);
    }
}

/// <summary>The answer to a handover: who monitors the plan now, and the open escalations they now hold.</summary>
/// <param name="Escalations">the ids of the plan's open (not resolved) escalations, all of which went to the new monitor</param>
public sealed record HandoverResult(Guid PlanId, string MonitorId, string? BackupId, IReadOnlyList<Guid> Escalations);

/// <summary>
/// Hands monitoring of a plan over (regiewissel; ../shared/domain.md, "The practice around the plan"). Who may: the
/// current monitor, the current backup, or a professional of the plan's team (docs/security.md, "Handover of
/// monitoring"); a duty professional who was only passed an escalation may not.
/// </summary>
/// <param name="CallerTeam">the caller's team (<see cref="Auth.PlanAccess.TeamOf"/>), read before deciding so that the decision stays pure</param>
/// <param name="ToBackupId">the backup asked for; null: keep the current one (<see cref="BackupAfter"/>)</param>
/// <param name="Professionals">which of <paramref name="ToMonitorId"/> and <paramref name="ToBackupId"/> are professional accounts of the caller's organisation (<see cref="HandoverRequest.WithAccounts"/>)</param>
public sealed record HandOverMonitoring(
    Guid PlanId, string ToMonitorId, string? ToBackupId, string Note, Caller Caller, string? CallerTeam, IReadOnlyList<string> Professionals)
    : IPlanCommand<HandoverResult>
{
    Decision<HandoverResult> IPlanCommand<HandoverResult>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    /// <summary>
    /// 404 for an unknown plan, 409 for a closed one, 403 for a caller who is not monitor, backup or of the plan's team;
    /// a repeat of the plan's last handover (already this monitor and backup) appends nothing; 409 for any other handover
    /// to the current monitor (monitoring goes to another professional: nothing appended); 400 on <c>toMonitorId</c> / <c>toBackupId</c> for an
    /// id new to the plan that is no professional of the organisation (a plan's monitor must be able to sign in and act). Otherwise <see cref="MonitoringHandedOver"/> naming
    /// every open escalation (they go along, deadlines unchanged), and a waiting-room message
    /// (<see cref="NotificationSubject.MonitoringHandedOver"/>) to the new monitor, the new backup and, when the monitor
    /// changes, every member of the network: once each, keyed by the handover's moment.
    /// </summary>
    public static Decision<HandoverResult> Decide(Plan? plan, HandOverMonitoring command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        var caller = command.Caller;
        var mayHandOver = caller.IsProfessional
            && (caller.UserId == plan!.MonitorId || caller.UserId == plan.BackupId || (plan.TeamId is { } team && command.CallerTeam == team));
        if (!mayHandOver)
            return Rejection.Forbidden("Only the monitoring professional, the backup or a professional of the plan's team can hand monitoring over.",
                "Alleen de regiehouder, de achtervang of een professional van het team van het plan kan de regie overdragen.");
        if (plan!.MonitorId == command.ToMonitorId)
        {
            if (RepeatsLast(plan, command)) return Decision.Repeat(Result(plan, command));
            // The monitor stays: only a new backup, named, makes it a handover (of the backup alone).
            if (command.ToBackupId is null || command.ToBackupId == plan.BackupId)
                return Rejection.Conflict(
                    $"'{command.ToMonitorId}' already monitors this plan; hand monitoring over to another professional, or name a new toBackupId to change only the backup.",
                    $"'{command.ToMonitorId}' heeft de regie over dit plan al; draag de regie over aan een andere professional, of noem een nieuwe toBackupId om alleen de achtervang te wijzigen.");
        }
        var toBackupAfter = BackupAfter(plan, command);
        var errors = new FieldErrors();
        // Only who is new to the plan: a monitor or backup who stays is not checked again.
        if (command.ToMonitorId != plan.MonitorId && !command.Professionals.Contains(command.ToMonitorId))
            errors.Add("toMonitorId", $"'{command.ToMonitorId}' is not a professional of your organisation.", $"'{command.ToMonitorId}' is geen professional van uw organisatie.");
        if (toBackupAfter is { } toBackup && toBackup != plan.BackupId && !command.Professionals.Contains(toBackup))
            errors.Add("toBackupId", $"'{toBackup}' is not a professional of your organisation.", $"'{toBackup}' is geen professional van uw organisatie.");
        if (errors.ToRejection() is { } unknown) return unknown;

        var open = plan.Escalations.Where(e => e.IsOpen).Select(e => e.Id).ToList();
        var handover = new MonitoringHandedOver(plan.MonitorId, plan.BackupId, command.ToMonitorId, toBackupAfter, command.Note, now, open);
        var reference = Reference(now);
        var told = new List<object>();
        if (command.ToMonitorId != plan.MonitorId)
        {
            told.AddRange(Notify.Professional(NotificationSubject.MonitoringHandedOver, reference, command.ToMonitorId, now));
            told.AddRange(plan.Members.SelectMany(m => Notify.Member(plan, NotificationSubject.MonitoringHandedOver, reference, m.Id, now)));
        }
        if (toBackupAfter is { } backup && backup != plan.BackupId)
            told.AddRange(Notify.Professional(NotificationSubject.MonitoringHandedOver, reference, backup, now));
        return Decision.Accept(new HandoverResult(plan.Id, command.ToMonitorId, toBackupAfter, open), [handover, .. told]);
    }

    /// <summary>
    /// A retry of the plan's last handover by the monitor or backup who handed over (no longer on the plan, so
    /// PlanStreams would refuse them): the same answer, nothing appended; null for anything else.
    /// </summary>
    public static Decision<HandoverResult>? RetryOfLast(Plan plan, HandOverMonitoring command) =>
        plan is { State: not PlanState.Closed, Handovers: [.., var last] } && command.Caller.IsProfessional && RepeatsLast(plan, command)
        && (command.Caller.UserId == last.FromMonitorId || command.Caller.UserId == last.FromBackupId)
            ? Decision.Repeat(Result(plan, command))
            : null;

    /// <summary>
    /// The backup after <paramref name="command"/>: the one it names, or else the plan's current backup, unless that is
    /// the new monitor (then none: a monitor is not their own backup).
    /// </summary>
    public static string? BackupAfter(Plan plan, HandOverMonitoring command) =>
        command.ToBackupId ?? (plan.BackupId == command.ToMonitorId ? null : plan.BackupId);

    /// <summary>Whether the plan is already as the plan's last handover left it and <paramref name="command"/> asks for that again.</summary>
    private static bool RepeatsLast(Plan plan, HandOverMonitoring command) =>
        plan is { Handovers: [.., var last] } && plan.MonitorId == command.ToMonitorId && plan.BackupId == BackupAfter(plan, command)
        && last.ToMonitorId == plan.MonitorId && last.ToBackupId == plan.BackupId;

    /// <summary>The reference of a handover's notifications: its moment in UTC, <c>handover/2027-01-04T08:00:00.0000000Z</c>.</summary>
    public static string Reference(DateTimeOffset at) => $"handover/{at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}";

    private static HandoverResult Result(Plan plan, HandOverMonitoring command) =>
        new(plan.Id, plan.MonitorId, plan.BackupId, plan.Escalations.Where(e => e.IsOpen).Select(e => e.Id).ToList());
}
