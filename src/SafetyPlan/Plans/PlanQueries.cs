using System.ComponentModel;

namespace SafetyPlan.Plans;

/// <summary>Reading plans: the list, the status now, and the status as it stood at a version or a moment.</summary>
public static class PlanQueries
{
    public static void Map(RouteGroupBuilder plans)
    {
        plans.MapGet("", async (string? status, string? monitorId, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
            {
                var caller = http.Caller();
                StatusColour? wanted = null;
                if (status is not null)
                {
                    if (!ContractValues.TryParseEnum<StatusColour>(status, out var colour))
                        return Rejection.Invalid("status", "'status' must be red, amber or green.", "'status' moet red, amber of green zijn.")
                            .ToProblem(caller.Language);
                    wanted = colour;
                }
                return Results.Ok(await Summaries(session, caller, clock.GetUtcNow(), monitorId, wanted, ct));
            })
            .RequireAuthorization(Policies.Reader)
            .WithSummary("List plans with their status, red first (professionals and auditors).")
            .Produces<IReadOnlyList<PlanSummary>>();

        plans.MapGet("{planId:guid}", async (Guid planId,
                [Description("An instant with an offset, not later than now (2027-01-04T15:00:00+01:00).")] string? asOf, int? version,
                HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (asOf is not null && version is not null)
                    return Rejection.Invalid("asOf", "Ask for either 'asOf' or 'version', not both.", "Vraag 'asOf' of 'version', niet allebei.")
                        .ToProblem(caller.Language);
                if (version is < 1)
                    return Rejection.Invalid("version", "'version' starts at 1.", "'version' begint bij 1.").ToProblem(caller.Language);
                var now = clock.GetUtcNow();
                var errors = new FieldErrors();
                var asked = Bounds.AsOf(errors, asOf, now);
                if (errors.ToRejection() is { } invalid) return invalid.ToProblem(caller.Language);

                var asMember = caller.IsMember && !caller.IsProfessional && !caller.IsAuditor;
                // Stepping through versions would time every report of the network (../shared/domain.md, "What a member sees").
                if (asMember && (asked is not null || version is not null))
                    return Rejection.Forbidden("Members see the plan as it is now; earlier versions are for professionals and auditors.",
                        "Netwerkleden zien het plan zoals het nu is; eerdere versies zijn voor professionals en auditors.").ToProblem(caller.Language);
                var found = await Load(session, planId, asked, version, now, ct);
                if (found is null) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);
                var (plan, moment) = found.Value;
                if (asMember && plan.ActiveMember(caller.MemberId!.Value) is null)
                    return Rejection.Forbidden("You are not a member of this plan.", "U bent geen netwerklid van dit plan.").ToProblem(caller.Language);
                return Results.Ok(PlanStatusView.Status(plan, moment, forMember: asMember ? caller.MemberId : null));
            })
            .RequireAuthorization(Policies.PlanReader)
            .WithSummary("A plan's status now, or exactly as it stood at ?asOf=<time> or ?version=<n> (professionals, auditors, the plan's members).")
            .Produces<PlanStatus>();
    }

    /// <summary>
    /// Plans with their status, red first: optionally only those monitored by <paramref name="monitorId"/>, or those
    /// where <paramref name="monitorOrBackupId"/> is the monitor or the backup, and only of one colour.
    /// </summary>
    /// <summary>The plans this caller may see, red first: an auditor every plan of the organisation, a professional their own.</summary>
    public static async Task<List<PlanSummary>> Summaries(IQuerySession session, Caller caller, DateTimeOffset now, string? monitorId,
        StatusColour? wanted, CancellationToken ct)
    {
        var query = session.Query<Plan>().AsQueryable();
        if (!caller.IsAuditor)
        {
            // A professional's list holds only their plans: as monitor, as backup, or of their team.
            var me = caller.UserId;
            var team = await PlanAccess.TeamOf(caller, session, ct);
            query = team is null
                ? query.Where(p => p.MonitorId == me || p.BackupId == me)
                : query.Where(p => p.MonitorId == me || p.BackupId == me || p.TeamId == team);
        }
        if (!string.IsNullOrWhiteSpace(monitorId)) query = query.Where(p => p.MonitorId == monitorId);
        return (await query.ToListAsync(ct))
            .Select(p => PlanStatusView.Summary(p, now))
            .Where(s => wanted is null || s.Status == wanted)
            .OrderByDescending(s => s.Status).ThenBy(s => s.Title)
            .ToList();
    }

    /// <summary>The plan a network member belongs to (a member id is unique across plans).</summary>
    public static async Task<Plan?> ForMember(IQuerySession session, Guid memberId, CancellationToken ct)
    {
        var plan = await session.Query<Plan>().Where(p => p.Members.Any(m => m.Id == memberId)).FirstOrDefaultAsync(ct);
        return plan?.ActiveMember(memberId) is null ? null : plan;
    }

    /// <summary>The plan and the moment its status is judged at: now, the asked moment, or the time of the asked version's last event.</summary>
    public static async Task<(Plan Plan, DateTimeOffset Moment)?> Load(
        IQuerySession session, Guid planId, DateTimeOffset? asOf, int? version, DateTimeOffset now, CancellationToken ct)
    {
        if (asOf is null && version is null)
        {
            var current = await session.LoadAsync<Plan>(planId, ct);
            return current is null ? null : (current, now);
        }

        // For a version only that one event is read (for its moment), not the whole stream a second time.
        var events = version is { } asked
            ? await session.Events.FetchStreamAsync(planId, version: asked, fromVersion: asked, token: ct)
            : await session.Events.FetchStreamAsync(planId, token: ct);
        var upTo = version is { } v
            ? events.LastOrDefault(e => e.Version == v)
            : events.LastOrDefault(e => e.Data is IPlanEvent happened && happened.At <= asOf);
        if (upTo is null) return null;

        var plan = await PlanReplays.AtVersion(session, planId, upTo.Version, ct);
        return plan is null ? null : (plan, asOf ?? ((IPlanEvent)upTo.Data).At);
    }
}
