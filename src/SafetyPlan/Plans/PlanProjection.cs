using JasperFx.Events;
using Marten.Events.Aggregation;
using SafetyPlan.Audit;

namespace SafetyPlan.Plans;

/// <summary>
/// The plan as Marten's inline snapshot: the events are applied by <see cref="Plan"/>'s own Apply methods; this adds
/// only the hash chain's head, taken from the last event applied, so that the next append needs no second query.
/// Named "Plan" as the self-aggregating snapshot was, so rebuilds and stored progress keep their name.
/// </summary>
public sealed class PlanProjection : SingleStreamProjection<Plan, Guid>
{
    public PlanProjection() => Name = nameof(Plan);

    public override Plan ApplyMetadata(Plan plan, IEvent lastEvent)
    {
        // Masked events carry only "hash.masked" but are never last: masking ends with the PersonalDataMasked event,
        // which has a "hash". An event without one leaves the head unknown, and the next append reads it instead.
        var head = lastEvent.Headers?.TryGetValue(HashChain.Header, out var value) == true ? value as string ?? value?.ToString() : null;
        plan.ChainHead = head;
        plan.ChainHeadVersion = head is null ? null : lastEvent.Version;
        return plan;
    }
}
