namespace SafetyPlan.BottomLines;

/// <summary>A bottom line's rule as sent (api-contract.md, "Plans"); bounds in Web/Bounds.cs.</summary>
/// <param name="Count">1..100, for <c>breaches</c> and <c>missed-in-a-row</c>.</param>
/// <param name="Within">ISO 8601, PT1H..P366D, for <c>breaches</c>.</param>
/// <param name="For">ISO 8601, PT1H..P90D, for <c>silence</c>.</param>
public sealed record RuleRequest(string? Kind, Guid? AgreementId, int? Count, string? Within, string? For, string? MinSeverity);

/// <param name="AcknowledgeWithin">ISO 8601, PT5M..P7D; absent: PT4H.</param>
public sealed record SetBottomLineRequest([property: MaxLength(Bounds.TextLength)] string? Text, RuleRequest? Rule, string? AcknowledgeWithin)
{
    /// <summary>The one place this request becomes its command (the API and the conference page): a new bottom line id, the rule parsed; or 400 naming every wrong field.</summary>
    public Decision<SetBottomLine> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().Required("text", Text, Bounds.TextLength);
        var acknowledgeWithin = Bounds.AcknowledgeWithinOf(errors, AcknowledgeWithin) ?? SetBottomLine.DefaultAcknowledgeWithin;
        var rule = SetBottomLine.ParseRule(Rule, errors);
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new SetBottomLine(planId, Guid.NewGuid(), Text!, rule!, acknowledgeWithin, caller));
    }

    /// <summary>POST /api/plans/{planId}/bottom-lines: 201 with the bottom line's id, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<CreatedId>> Post(Guid planId, [FromBody] SetBottomLineRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Decide), bottomLine => $"/api/plans/{planId}/bottom-lines/{bottomLine.Id}");
}

public sealed record SetBottomLine(Guid PlanId, Guid BottomLineId, string Text, BottomLineRule Rule, TimeSpan AcknowledgeWithin, Caller Caller) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static readonly TimeSpan DefaultAcknowledgeWithin = TimeSpan.FromHours(4);

    public static Decision<CreatedId> Decide(Plan? plan, SetBottomLine command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        if (command.Rule.AgreementId is { } agreementId && plan!.FindAgreement(agreementId) is not { IsWithdrawn: false })
            return PlanGuards.AgreementNotFound(agreementId);
        return Decision.Accept(new CreatedId(command.BottomLineId),
            new BottomLineSet(command.BottomLineId, command.Text.Trim(), command.Rule, command.AcknowledgeWithin, now));
    }

    /// <summary>The rule as sent, or null with its errors added: each kind takes only the fields it needs (Web/Bounds.cs).</summary>
    internal static BottomLineRule? ParseRule(RuleRequest? rule, FieldErrors errors)
    {
        if (rule is null)
        {
            errors.Add("rule", "'rule' is required.", "'rule' is verplicht.");
            return null;
        }
        if (!ContractValues.TryParseEnum<RuleKind>(rule.Kind, out var kind))
        {
            errors.Add("rule.kind", $"'kind' must be one of: {ContractValues.Choices<RuleKind>()}.",
                $"'kind' moet een van deze zijn: {ContractValues.Choices<RuleKind>()}.");
            return null;
        }

        int? count = null;
        TimeSpan? within = null, silence = null;
        Severity? minSeverity = null;
        switch (kind)
        {
            case RuleKind.AnyBreach when rule.AgreementId is null:
                errors.Add("rule.agreementId", "An 'any-breach' rule names its agreement.", "Een 'any-breach'-regel noemt de afspraak.");
                break;
            case RuleKind.Breaches:
                count = Bounds.Count(errors, rule.Count);
                within = Bounds.BreachesWithinOf(errors, rule.Within);
                break;
            case RuleKind.MissedInARow:
                count = Bounds.Count(errors, rule.Count);
                break;
            case RuleKind.Silence:
                silence = Bounds.SilenceForOf(errors, rule.For);
                break;
            case RuleKind.Concern:
                if (!ContractValues.TryParseEnum<Severity>(rule.MinSeverity, out var s))
                    errors.Add("rule.minSeverity", "'minSeverity' must be low, medium or high.", "'minSeverity' moet low, medium of high zijn.");
                minSeverity = s;
                break;
        }
        return errors.Any ? null
            : new BottomLineRule(kind, kind is RuleKind.Silence or RuleKind.Concern ? null : rule.AgreementId, count, within, silence, minSeverity);
    }
}
