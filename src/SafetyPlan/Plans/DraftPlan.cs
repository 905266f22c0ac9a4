namespace SafetyPlan.Plans;

public sealed record DraftPlanRequest(
    [property: MaxLength(Bounds.NameLength)] string? Title, [property: MaxLength(Bounds.NameLength)] string? Family,
    [property: MaxLength(Bounds.IdLength)] string? MonitorId, [property: MaxLength(Bounds.IdLength)] string? BackupId,
    [property: MaxLength(Bounds.IdLength)] string? TimeZone, [property: MaxLength(5)] int[]? EvaluationReminderDays = null,
    [property: MaxLength(Bounds.IdLength)] string? TeamId = null, Conference.ReferralRequest? Referral = null)
{
    /// <summary>
    /// The one place this request becomes its command (the API and the new-plan page): a new plan id, the zone
    /// Europe/Amsterdam when none is given; or 400 naming every wrong field (an unknown IANA zone, more than five
    /// reminder days or one outside 0..60, a backup who is the monitor).
    /// </summary>
    public Decision<DraftPlan> ToCommand(Caller caller)
    {
        var errors = new FieldErrors()
            .Required("title", Title, Bounds.NameLength)
            .Required("family", Family, Bounds.NameLength)
            .RequiredId("monitorId", MonitorId, Bounds.IdLength)
            .OptionalId("backupId", BackupId, Bounds.IdLength)
            .OptionalId("teamId", TeamId, Bounds.IdLength)
            .OptionalId("timeZone", TimeZone, Bounds.IdLength);
        if (TimeZone is { } zone && (zone.Length > Bounds.IdLength || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)))
            errors.Add("timeZone", $"'{zone}' is not a known time zone (use an IANA name such as Europe/Amsterdam).",
                $"'{zone}' is geen bekende tijdzone (gebruik een IANA-naam zoals Europe/Amsterdam).");
        if (EvaluationReminderDays is { } days && (days.Length > 5 || days.Any(d => d is < 0 or > 60)))
            errors.Add("evaluationReminderDays", "Give at most five numbers of days, each from 0 to 60.",
                "Geef hoogstens vijf aantallen dagen, elk van 0 tot 60.");
        if (BackupId is { } backup && backup == MonitorId)
            errors.Add("backupId", "The backup must be someone other than the monitoring professional.",
                "De achtervang moet iemand anders zijn dan de regiehouder.");
        var referral = Referral?.Read(errors);
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new DraftPlan(Guid.NewGuid(), Title!, Family!, MonitorId!, BackupId, TimeZone ?? DraftPlan.DefaultTimeZone,
            caller, EvaluationReminderDays, TeamId, referral));
    }

    /// <summary>POST /api/plans: 201 with the new plan's id, or 400. A new stream: nothing on it can refuse.</summary>
    public static async Task<IResult> Post([FromBody] DraftPlanRequest request, [AsParameters] Sender send) =>
        (await request.ToCommand(send.Caller).Then(command => send.Bus.InvokeAsync<Decision<CreatedId>>(command, send.Cancellation)))
            .ToHttp(send.Caller, plan => $"/api/plans/{plan.Id}");
}

/// <param name="Referral">the plan's referral, appended as <see cref="ReferralRecorded"/> right after the draft (Conference/Referral.cs)</param>
public sealed record DraftPlan(Guid PlanId, string Title, string Family, string MonitorId, string? BackupId, string TimeZone, Caller Caller, IReadOnlyList<int>? EvaluationReminderDays = null, string? TeamId = null,
    Conference.Referral? Referral = null)
{
    public const string DefaultTimeZone = "Europe/Amsterdam";

    /// <summary>The plan's first events: <see cref="PlanDrafted"/>, and its <see cref="ReferralRecorded"/> when it has one; 400 for a referral received after today in the plan's zone.</summary>
    public static Decision<CreatedId> Decide(DraftPlan command, DateTimeOffset now)
    {
        var drafted = new PlanDrafted(
            command.PlanId, command.Title.Trim(), command.Family.Trim(), command.MonitorId.Trim(),
            string.IsNullOrWhiteSpace(command.BackupId) ? null : command.BackupId.Trim(), command.TimeZone, now,
            command.EvaluationReminderDays?.Distinct().OrderDescending().ToList(),
            string.IsNullOrWhiteSpace(command.TeamId) ? null : command.TeamId.Trim());
        if (command.Referral is not { } referral) return Decision.Accept(new CreatedId(command.PlanId), drafted);
        var recorded = referral.Decide(TimeZoneInfo.FindSystemTimeZoneById(command.TimeZone), now);
        if (recorded.Rejection is { } invalid) return invalid;
        return Decision.Accept(new CreatedId(command.PlanId), drafted, recorded.Result!);
    }
}

public sealed record CreatedId(Guid Id);

public static class DraftPlanHandler
{
    public static async Task<Decision<CreatedId>> Handle(DraftPlan command, PlanStreams plans, TimeProvider clock, CancellationToken ct)
    {
        var decision = DraftPlan.Decide(command, clock.GetUtcNow());
        if (!decision.Accepted) return decision;
        await plans.Start(command.PlanId, command.Caller, nameof(DraftPlan), decision.Events, ct);
        return decision;
    }
}
