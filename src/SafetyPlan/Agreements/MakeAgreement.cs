namespace SafetyPlan.Agreements;

/// <param name="Grace">ISO 8601, PT5M..P7D (Web/Bounds.cs); absent: PT4H.</param>
/// <param name="Reporters">members besides the responsible one who may report on it (at most 100)</param>
/// <param name="ReportFrom">ISO 8601, PT0S..P1D; absent: PT1H before an occurrence its report window opens</param>
/// <param name="RemindBefore">ISO 8601, PT0S..P1D; absent: PT30M</param>
/// <param name="Watchers">members told when an occurrence is missed or not kept (at most 100)</param>
public sealed record MakeAgreementRequest(
    [property: MaxLength(Bounds.TextLength)] string? Text, Guid? ResponsibleMemberId, Guid? GoalId, ScheduleRequest? Schedule, string? Grace,
    Guid[]? Reporters = null, string? ReportFrom = null, string? RemindBefore = null, Guid[]? Watchers = null)
{
    /// <summary>
    /// The one place this request becomes its command (the API and the conference page): a new agreement id and the
    /// durations parsed; or 400 naming every field missing or out of the contract's bounds (api-contract.md, "Times,
    /// limits and paging"). The schedule itself is parsed by the decision, in the plan's zone.
    /// </summary>
    public Decision<MakeAgreement> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().Required("text", Text, Bounds.TextLength);
        if (ResponsibleMemberId is null)
            errors.Add("responsibleMemberId", "'responsibleMemberId' is required.", "'responsibleMemberId' is verplicht.");
        if (Schedule is null)
            errors.Add("schedule", "'schedule' is required.", "'schedule' is verplicht.");
        var grace = Bounds.GraceOf(errors, Grace) ?? MakeAgreement.DefaultGrace;
        var reportFrom = Bounds.ReportFromOf(errors, ReportFrom);
        var remindBefore = Bounds.RemindBeforeOf(errors, RemindBefore);
        Bounds.Members(errors, Reporters, "reporters");
        Bounds.Members(errors, Watchers, "watchers");
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new MakeAgreement(planId, Guid.NewGuid(), Text!, ResponsibleMemberId!.Value, GoalId, Schedule!, grace, caller,
            Reporters, reportFrom, remindBefore, Watchers));
    }

    /// <summary>POST /api/plans/{planId}/agreements: 201 with the agreement's id, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<CreatedId>> Post(Guid planId, [FromBody] MakeAgreementRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Decide), agreement => $"/api/plans/{planId}/agreements/{agreement.Id}");
}

/// <summary>Who does what, when: an agreement with its schedule, grace period, report window, reporters and watchers.</summary>
public sealed record MakeAgreement(
    Guid PlanId, Guid AgreementId, string Text, Guid ResponsibleMemberId, Guid? GoalId, ScheduleRequest Schedule,
    TimeSpan Grace, Caller Caller, IReadOnlyList<Guid>? Reporters = null, TimeSpan? ReportFrom = null,
    TimeSpan? RemindBefore = null, IReadOnlyList<Guid>? Watchers = null) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

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
}
