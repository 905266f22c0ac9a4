using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Web;
using Wolverine;

namespace SafetyPlan.BottomLines;

/// <summary>A bottom line's rule as sent (api-contract.md, "Plans"); bounds in Web/Bounds.cs.</summary>
/// <param name="Count">1..100, for <c>breaches</c> and <c>missed-in-a-row</c>.</param>
/// <param name="Within">ISO 8601, PT1H..P366D, for <c>breaches</c>.</param>
/// <param name="For">ISO 8601, PT1H..P90D, for <c>silence</c>.</param>
public sealed record RuleRequest(string? Kind, Guid? AgreementId, int? Count, string? Within, string? For, string? MinSeverity);

/// <param name="AcknowledgeWithin">ISO 8601, PT5M..P7D; absent: PT4H.</param>
public sealed record SetBottomLineRequest([property: MaxLength(Bounds.TextLength)] string? Text, RuleRequest? Rule, string? AcknowledgeWithin);

public sealed record SetBottomLine(Guid PlanId, Guid BottomLineId, string Text, BottomLineRule Rule, TimeSpan AcknowledgeWithin, Caller Caller)
{
    public static readonly TimeSpan DefaultAcknowledgeWithin = TimeSpan.FromHours(4);

    public static Decision<CreatedId> Decide(Plan? plan, SetBottomLine command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        if (command.Rule.AgreementId is { } agreementId && plan!.FindAgreement(agreementId) is not { IsWithdrawn: false })
            return PlanGuards.AgreementNotFound(agreementId);
        return Decision.Accept(new CreatedId(command.BottomLineId),
            new BottomLineSet(command.BottomLineId, command.Text.Trim(), command.Rule, command.AcknowledgeWithin, now));
    }

    public static Rejection? Validate(SetBottomLineRequest request, out BottomLineRule? rule, out TimeSpan acknowledgeWithin)
    {
        var errors = new FieldErrors().Required("text", request.Text, Bounds.TextLength);
        acknowledgeWithin = Bounds.AcknowledgeWithinOf(errors, request.AcknowledgeWithin) ?? DefaultAcknowledgeWithin;
        rule = ParseRule(request.Rule, errors);
        return errors.ToRejection();
    }

    private static BottomLineRule? ParseRule(RuleRequest? rule, FieldErrors errors)
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

public static class SetBottomLineHandler
{
    public static Task<Decision<CreatedId>> Handle(SetBottomLine command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, command.GetType().Name, (plan, now) => SetBottomLine.Decide(plan, command, now), ct);
}

public static class SetBottomLineEndpoint
{
    public static void Map(RouteGroupBuilder plans) => plans.MapPost("{planId:guid}/bottom-lines", async (
            Guid planId, [FromBody] SetBottomLineRequest request, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (SetBottomLine.Validate(request, out var rule, out var acknowledgeWithin) is { } invalid) return invalid.ToProblem(caller.Language);
            return await bus.Decide<CreatedId>(new SetBottomLine(planId, Guid.NewGuid(), request.Text!, rule!, acknowledgeWithin, caller),
                caller, ct, created => $"/api/plans/{planId}/bottom-lines/{created.Id}");
        })
        .RequireAuthorization(Policies.Professional)
        .WithSummary("Set a bottom line: a rule that makes professionals step in (professionals).")
        .Produces<CreatedId>(StatusCodes.Status201Created);
}
