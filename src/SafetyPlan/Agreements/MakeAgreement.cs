using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.Agreements;

/// <param name="Reporters">members besides the responsible one who may report on it</param>
/// <param name="ReportFrom">ISO 8601 duration, PT0S..P1D, default PT1H: how long before an occurrence reports open</param>
/// <param name="RemindBefore">ISO 8601 duration, PT0S..P1D, default PT30M</param>
/// <param name="Watchers">members told when an occurrence is missed or not kept</param>
public sealed record MakeAgreementRequest(
    string? Text, Guid? ResponsibleMemberId, Guid? GoalId, ScheduleRequest? Schedule, string? Grace,
    Guid[]? Reporters = null, string? ReportFrom = null, string? RemindBefore = null, Guid[]? Watchers = null);

/// <summary>Who does what, when: an agreement with its schedule, grace period, report window, reporters and watchers.</summary>
public sealed record MakeAgreement(
    Guid PlanId, Guid AgreementId, string Text, Guid ResponsibleMemberId, Guid? GoalId, ScheduleRequest Schedule,
    TimeSpan Grace, Caller Caller, IReadOnlyList<Guid>? Reporters = null, TimeSpan? ReportFrom = null,
    TimeSpan? RemindBefore = null, IReadOnlyList<Guid>? Watchers = null)
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(4);

    public static Decision<CreatedId> Decide(Plan? plan, MakeAgreement command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        var errors = new FieldErrors();
        var schedule = command.Schedule.Parse(errors, plan!.Zone(), now);
        if (errors.ToRejection() is { } invalid) return invalid;
        if (plan.ActiveMember(command.ResponsibleMemberId) is null) return PlanGuards.MemberNotFound(command.ResponsibleMemberId);
        if (command.GoalId is { } goal && plan.Goals.All(g => g.Id != goal))
            return Rejection.NotFound($"There is no safety goal with id {goal} in this plan.", $"Er is geen veiligheidsdoel met id {goal} in dit plan.");
        foreach (var named in (command.Reporters ?? []).Concat(command.Watchers ?? []))
            if (plan.ActiveMember(named) is null) return PlanGuards.MemberNotFound(named);
        return Decision.Accept(new CreatedId(command.AgreementId), new AgreementMade(
            command.AgreementId, command.Text.Trim(), command.ResponsibleMemberId, command.GoalId, schedule!, command.Grace, now,
            Distinct(command.Reporters), command.ReportFrom ?? ReportWindow.DefaultReportFrom,
            command.RemindBefore ?? ReportWindow.DefaultRemindBefore, Distinct(command.Watchers)));
    }

    private static IReadOnlyList<Guid>? Distinct(IReadOnlyList<Guid>? members) => members is { Count: > 0 } ? members.Distinct().ToList() : null;

    /// <summary>The request's fields, checked against the contract's bounds (api-contract.md, "Times, limits and paging").</summary>
    public static Rejection? Validate(MakeAgreementRequest request, out TimeSpan grace, out TimeSpan? reportFrom, out TimeSpan? remindBefore)
    {
        var errors = new FieldErrors().Required("text", request.Text);
        if (request.ResponsibleMemberId is null)
            errors.Add("responsibleMemberId", "'responsibleMemberId' is required.", "'responsibleMemberId' is verplicht.");
        if (request.Schedule is null)
            errors.Add("schedule", "'schedule' is required.", "'schedule' is verplicht.");
        grace = OptionalDuration(errors, "grace", request.Grace, TimeSpan.FromMinutes(5), TimeSpan.FromDays(7)) ?? DefaultGrace;
        reportFrom = OptionalDuration(errors, "reportFrom", request.ReportFrom, TimeSpan.Zero, TimeSpan.FromDays(1));
        remindBefore = OptionalDuration(errors, "remindBefore", request.RemindBefore, TimeSpan.Zero, TimeSpan.FromDays(1));
        if (request.Reporters is { Length: > 100 }) errors.Add("reporters", "At most 100 reporters.", "Hoogstens 100 melders.");
        if (request.Watchers is { Length: > 100 }) errors.Add("watchers", "At most 100 watchers.", "Hoogstens 100 volgers.");
        return errors.ToRejection();
    }

    private static TimeSpan? OptionalDuration(FieldErrors errors, string field, string? text, TimeSpan min, TimeSpan max)
    {
        if (text is null) return null;
        if (ContractValues.TryParseDuration(text, out var duration) && duration >= min && duration <= max) return duration;
        errors.Add(field, $"'{field}' must be an ISO 8601 duration between {ContractValues.Duration(min)} and {ContractValues.Duration(max)}.",
            $"'{field}' moet een ISO 8601-duur zijn tussen {ContractValues.Duration(min)} en {ContractValues.Duration(max)}.");
        return null;
    }
}

public static class MakeAgreementHandler
{
    public static Task<Decision<CreatedId>> Handle(MakeAgreement command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => MakeAgreement.Decide(plan, command, now), ct);
}

public static class MakeAgreementEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/agreements", async (
            Guid planId, [FromBody] MakeAgreementRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (MakeAgreement.Validate(request, out var grace, out var reportFrom, out var remindBefore) is { } invalid) return invalid.ToProblem(caller.Language);
            var command = new MakeAgreement(planId, Guid.NewGuid(), request.Text!, request.ResponsibleMemberId!.Value,
                request.GoalId, request.Schedule!, grace, caller, request.Reporters, reportFrom, remindBefore, request.Watchers);
            return await bus.Decide<CreatedId>(command, caller, ct, created => $"/api/plans/{planId}/agreements/{created.Id}");
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Make an agreement: who does what, when (professionals).")
        .Produces<CreatedId>(StatusCodes.Status201Created);
}
