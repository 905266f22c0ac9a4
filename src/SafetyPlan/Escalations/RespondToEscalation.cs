namespace SafetyPlan.Escalations;

public sealed record EscalationNoteRequest([property: MaxLength(Bounds.NoteLength)] string? Note);

public sealed record EscalationResult(Guid Id, Guid PlanId, EscalationState State);

/// <summary>The monitoring professional, the backup or (after the ladder's last step) the duty professional acknowledges an escalation, or resolves it with a note.</summary>
/// It decides its own access (<see cref="IDecidesItsOwnAccess"/>): whoever the escalation names now, whatever else they may do on the plan.
public sealed record RespondToEscalation(Guid PlanId, Guid EscalationId, bool Resolve, string? Note, Caller Caller) : IPlanCommand<EscalationResult>, IDecidesItsOwnAccess
{
    Decision<EscalationResult> IPlanCommand<EscalationResult>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<EscalationResult> Decide(Plan? plan, RespondToEscalation command, DateTimeOffset now)
    {
        var escalation = plan?.FindEscalation(command.EscalationId);
        if (plan is null || escalation is null) return NotFound(command.EscalationId);
        if (!command.Caller.IsProfessional || (command.Caller.UserId != escalation.MonitorId && command.Caller.UserId != escalation.BackupId
                                                && command.Caller.UserId != escalation.DutyId))
            return Rejection.Forbidden("Only the monitoring professional, the backup or, once it was passed to them, the duty professional can respond to an escalation.",
                "Alleen de regiehouder, de achtervang of, als die is doorgezet, de dienstdoende professional kan op een escalatie reageren.");

        if (escalation.ResolvedAt is not null)
            return Decision.Repeat(new EscalationResult(escalation.Id, plan.Id, EscalationState.Resolved));
        if (!command.Resolve && escalation.AcknowledgedAt is not null)
            return Decision.Repeat(new EscalationResult(escalation.Id, plan.Id, EscalationState.Acknowledged));

        var events = new List<object>();
        // Resolving an escalation nobody acknowledged also records the acknowledgement: response times stay honest.
        if (escalation.AcknowledgedAt is null)
            events.Add(new EscalationAcknowledged(escalation.Id, command.Caller.UserId, command.Resolve ? null : command.Note, now));
        if (command.Resolve)
            events.Add(new EscalationResolved(escalation.Id, command.Caller.UserId, command.Note!, now));
        return Decision.Accept(new EscalationResult(escalation.Id, plan.Id,
            command.Resolve ? EscalationState.Resolved : EscalationState.Acknowledged), events);
    }

    public static Rejection NotFound(Guid escalationId) => Rejection.NotFound(
        $"There is no escalation with id {escalationId}.", $"Er is geen escalatie met id {escalationId}.");
}

public static class RespondToEscalationEndpoints
{
    public static void Map(RouteGroupBuilder escalations)
    {
        escalations.MapPost("{escalationId:guid}/acknowledge", Acknowledge)
            .RequireAuthorization(Policies.Professional)
            .WithSummary("Acknowledge an escalation (its monitoring professional, backup or duty professional).");

        escalations.MapPost("{escalationId:guid}/resolve", Resolve)
            .RequireAuthorization(Policies.Professional)
            .WithSummary("Resolve an escalation with a note (its monitoring professional, backup or duty professional).");
    }

    /// <summary>POST /api/escalations/{escalationId}/acknowledge, the note optional: 200 (also when acknowledged before), or 400/403/404/409.</summary>
    public static async Task<OkAnswer<EscalationResult>> Acknowledge(Guid escalationId, [FromBody] EscalationNoteRequest? request,
        HttpContext http, IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        var caller = http.Caller();
        return (await Respond(escalationId, resolve: false, request?.Note, caller, session, bus, ct)).Ok(caller);
    }

    /// <summary>POST /api/escalations/{escalationId}/resolve, with a note: 200 (also when resolved before), or 400/403/404/409.</summary>
    public static async Task<OkAnswer<EscalationResult>> Resolve(Guid escalationId, [FromBody] EscalationNoteRequest request,
        HttpContext http, IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        var caller = http.Caller();
        return (await Respond(escalationId, resolve: true, request.Note, caller, session, bus, ct)).Ok(caller);
    }

    /// <summary>Validates the note, finds the escalation's plan and sends the command (the API and the dashboard).</summary>
    public static async Task<Decision<EscalationResult>> Respond(Guid escalationId, bool resolve, string? note, Caller caller,
        IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (resolve) errors.Required("note", note, Bounds.NoteLength); else errors.Optional("note", note, Bounds.NoteLength);
        if (errors.ToRejection() is { } invalid) return invalid;

        var view = await session.LoadAsync<EscalationView>(escalationId, ct);
        if (view is null) return RespondToEscalation.NotFound(escalationId);
        return await bus.Decide(new RespondToEscalation(view.PlanId, escalationId, resolve, note?.Trim(), caller), ct);
    }
}

public static class EscalationInboxEndpoint
{
    public static void Map(RouteGroupBuilder escalations) => escalations.MapGet("", async (
            string? state, HttpContext http, IQuerySession session, CancellationToken ct) =>
        {
            var caller = http.Caller();
            EscalationState? wanted = null;
            if (state is not null)
            {
                if (!ContractValues.TryParseEnum<EscalationState>(state, out var parsed))
                    return Rejection.Invalid("state", "'state' must be open, acknowledged or resolved.",
                        "'state' moet open, acknowledged of resolved zijn.").ToProblem(caller.Language);
                wanted = parsed;
            }
            return Results.Ok(await Inbox(session, caller.UserId, wanted, ct));
        })
        .RequireAuthorization(Policies.Professional)
        .WithMetadata(new Audit.CaseDataReadAttribute("search"))
        .WithSummary("The caller's escalations, as monitoring professional, backup or duty professional (professionals).")
        .Produces<IReadOnlyList<EscalationView>>();

    /// <summary>The escalations where this person is the monitor, the backup or the duty professional it was passed to, newest first.</summary>
    public static async Task<IReadOnlyList<EscalationView>> Inbox(IQuerySession session, string userId, EscalationState? wanted, CancellationToken ct)
    {
        var query = session.Query<EscalationView>().Where(e => e.MonitorId == userId || e.BackupId == userId || e.DutyId == userId);
        if (wanted is { } s) query = query.Where(e => e.State == s);
        return await query.OrderByDescending(e => e.RaisedAt).ToListAsync(ct);
    }
}
