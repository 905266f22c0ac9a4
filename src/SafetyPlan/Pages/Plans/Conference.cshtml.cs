using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Agreements;
using SafetyPlan.Auth;
using SafetyPlan.BottomLines;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using Wolverine;

namespace SafetyPlan.Pages.Plans;

/// <summary>
/// Recording a network conference's outcome: members, danger statements with their safety goals, agreements (with
/// schedule presets), bottom lines (one form per rule kind's fields) and the agreement of the plan. Each form sends
/// the same command as its API route.
/// </summary>
[Authorize(Policy = Policies.Professional)]
public sealed class ConferenceModel(IQuerySession session, IMessageBus bus) : AppPage
{
    public static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public Plan Plan { get; private set; } = new();
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid planId, string? done, CancellationToken ct)
    {
        if (await Load(planId, ct) is { } refusal) return refusal;
        Done = done;
        return Page();
    }

    public Task<IActionResult> OnPostMemberAsync(Guid planId, string? name, string? role, string? email, string? phone, CancellationToken ct) =>
        Send(planId, "member", ct, () =>
        {
            var request = new AddMemberRequest(name, role, email, phone);
            return AddMember.Validate(request, out var parsed) is { } invalid ? invalid
                : new AddMember(planId, Guid.NewGuid(), name!, parsed, Blank(email), Blank(phone), Caller);
        });

    public Task<IActionResult> OnPostGoalAsync(Guid planId, string? danger, string? goal, CancellationToken ct) =>
        Send(planId, "goal", ct, () => new FieldErrors().Required("danger", danger).Required("goal", goal).ToRejection() is { } invalid
            ? invalid : new SetSafetyGoal(planId, Guid.NewGuid(), danger!, goal!, Caller));

    /// <param name="preset">daily ("every day at"), weekly ("on these weekdays at") or once</param>
    public Task<IActionResult> OnPostAgreementAsync(Guid planId, string? text, Guid? responsibleMemberId, Guid? goalId, string? preset,
        string? at, string[]? weekdays, string? once, int? graceHours, CancellationToken ct) =>
        Send(planId, "agreement", ct, () =>
        {
            ScheduleRequest? schedule = preset switch
            {
                "daily" => new ScheduleRequest(at, null, null, null),
                "weekly" => new ScheduleRequest(null, weekdays ?? [], at, null),
                "once" => new ScheduleRequest(null, null, null, once),
                _ => null,
            };
            var grace = graceHours is { } hours ? $"PT{hours.ToString(CultureInfo.InvariantCulture)}H" : null;
            var request = new MakeAgreementRequest(text, responsibleMemberId, goalId, schedule, grace);
            return MakeAgreement.Validate(request, out var parsedGrace, out var reportFrom, out var remindBefore) is { } invalid ? invalid
                : new MakeAgreement(planId, Guid.NewGuid(), text!, responsibleMemberId!.Value, goalId, schedule!, parsedGrace, Caller, null, reportFrom, remindBefore);
        });

    public Task<IActionResult> OnPostBottomLineAsync(Guid planId, string? text, string? kind, Guid? agreementId, int? count, int? withinDays,
        int? silenceHours, string? minSeverity, int? acknowledgeHours, CancellationToken ct) =>
        Send(planId, "bottom-line", ct, () =>
        {
            var rule = new RuleRequest(kind, agreementId, count, withinDays is { } d ? $"P{d.ToString(CultureInfo.InvariantCulture)}D" : null,
                silenceHours is { } h ? $"PT{h.ToString(CultureInfo.InvariantCulture)}H" : null, minSeverity);
            var request = new SetBottomLineRequest(text, rule, acknowledgeHours is { } a ? $"PT{a.ToString(CultureInfo.InvariantCulture)}H" : null);
            return SetBottomLine.Validate(request, out var parsed, out var within) is { } invalid ? invalid
                : new SetBottomLine(planId, Guid.NewGuid(), text!, parsed!, within, Caller);
        });

    public async Task<IActionResult> OnPostAgreeAsync(Guid planId, DateOnly? evaluationDue, CancellationToken ct)
    {
        if (evaluationDue is not { } due)
            return await RefusedWithPlan(planId, Rejection.Invalid("evaluationDue", "Choose the date of the first evaluation.", "Kies de datum van de eerste evaluatie."), ct);
        var decision = await bus.InvokeAsync<Decision<PlanAgreedResult>>(new AgreePlan(planId, due, Caller), ct);
        return decision.Rejection is { } rejection ? await RefusedWithPlan(planId, rejection, ct) : LocalRedirect($"/plans/{planId}");
    }

    private async Task<IActionResult> Send(Guid planId, string what, CancellationToken ct, Func<object> command)
    {
        var built = command();
        if (built is Rejection invalid) return await RefusedWithPlan(planId, invalid, ct);
        var decision = await bus.InvokeAsync<Decision<CreatedId>>(built, ct);
        return decision.Rejection is { } rejection ? await RefusedWithPlan(planId, rejection, ct) : LocalRedirect($"/plans/{planId}/conference?done={what}");
    }

    private async Task<IActionResult> RefusedWithPlan(Guid planId, Rejection rejection, CancellationToken ct)
    {
        return await Load(planId, ct) ?? Refused(rejection);
    }

    /// <summary>Loads the plan for the page; the refusal when this caller may not read it.</summary>
    private async Task<IActionResult?> Load(Guid planId, CancellationToken ct)
    {
        var (plan, refusal) = await ReadablePlan(session, planId, ct);
        if (plan is not null) Plan = plan;
        return refusal;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
