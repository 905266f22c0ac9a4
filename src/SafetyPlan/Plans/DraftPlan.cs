using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Plans;

public sealed record DraftPlanRequest(
    [property: MaxLength(Bounds.NameLength)] string? Title, [property: MaxLength(Bounds.NameLength)] string? Family,
    [property: MaxLength(Bounds.IdLength)] string? MonitorId, [property: MaxLength(Bounds.IdLength)] string? BackupId,
    [property: MaxLength(Bounds.IdLength)] string? TimeZone, [property: MaxLength(5)] int[]? EvaluationReminderDays = null,
    [property: MaxLength(Bounds.IdLength)] string? TeamId = null);

public sealed record DraftPlan(Guid PlanId, string Title, string Family, string MonitorId, string? BackupId, string TimeZone, Caller Caller, IReadOnlyList<int>? EvaluationReminderDays = null, string? TeamId = null)
{
    public const string DefaultTimeZone = "Europe/Amsterdam";

    public static Decision<CreatedId> Decide(DraftPlan command, DateTimeOffset now) =>
        Decision.Accept(new CreatedId(command.PlanId), new PlanDrafted(
            command.PlanId, command.Title.Trim(), command.Family.Trim(), command.MonitorId.Trim(),
            string.IsNullOrWhiteSpace(command.BackupId) ? null : command.BackupId.Trim(), command.TimeZone, now,
            command.EvaluationReminderDays?.Distinct().OrderDescending().ToList(),
            string.IsNullOrWhiteSpace(command.TeamId) ? null : command.TeamId.Trim()));

    public static Rejection? Validate(DraftPlanRequest request)
    {
        var errors = new FieldErrors()
            .Required("title", request.Title, Bounds.NameLength)
            .Required("family", request.Family, Bounds.NameLength)
            .Required("monitorId", request.MonitorId, Bounds.IdLength)
            .Optional("backupId", request.BackupId, Bounds.IdLength)
            .Optional("teamId", request.TeamId, Bounds.IdLength);
        if (request.TimeZone is { } zone && (zone.Length > Bounds.IdLength || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)))
            errors.Add("timeZone", $"'{zone}' is not a known time zone (use an IANA name such as Europe/Amsterdam).",
                $"'{zone}' is geen bekende tijdzone (gebruik een IANA-naam zoals Europe/Amsterdam).");
        if (request.EvaluationReminderDays is { } days && (days.Length > 5 || days.Any(d => d is < 0 or > 60)))
            errors.Add("evaluationReminderDays", "Give at most five numbers of days, each from 0 to 60.",
                "Geef hoogstens vijf aantallen dagen, elk van 0 tot 60.");
        if (request.BackupId is { } backup && backup == request.MonitorId)
            errors.Add("backupId", "The backup must be someone other than the monitoring professional.",
                "De achtervang moet iemand anders zijn dan de regiehouder.");
        return errors.ToRejection();
    }
}

public sealed record CreatedId(Guid Id);

public static class DraftPlanHandler
{
    public static async Task<Decision<CreatedId>> Handle(DraftPlan command, PlanStreams plans, TimeProvider clock, CancellationToken ct)
    {
        var decision = DraftPlan.Decide(command, clock.GetUtcNow());
        await plans.Start(command.PlanId, command.Caller, nameof(DraftPlan), decision.Events, ct);
        return decision;
    }
}

public static class DraftPlanEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("", async (
            [FromBody] DraftPlanRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (DraftPlan.Validate(request) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new DraftPlan(Guid.NewGuid(), request.Title!, request.Family!, request.MonitorId!,
                request.BackupId, request.TimeZone ?? DraftPlan.DefaultTimeZone, caller, request.EvaluationReminderDays, request.TeamId);
            var decision = await bus.InvokeAsync<Decision<CreatedId>>(command, ct);
            return decision.ToHttp(caller, created => $"/api/plans/{created.Id}");
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Draft a new safety plan (professionals).")
        .Produces<CreatedId>(StatusCodes.Status201Created);
}
