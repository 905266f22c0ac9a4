using JasperFx.Events;
using Marten.Events.Aggregation;
using SafetyPlan.Audit;

namespace SafetyPlan.Plans;

/// <summary>
/// The plan as Marten's inline snapshot: the events are applied by <see cref="Plan.Evolve"/>, the same code the sweep and
/// the tests apply them with; this adds only the hash chain's head, taken from the last event applied, so that the next
/// append needs no second query. Named "Plan" as the self-aggregating snapshot was, so rebuilds and stored progress keep
/// their name.
/// </summary>
public sealed class PlanProjection : SingleStreamProjection<Plan, Guid>
{
    public PlanProjection()
    {
        Name = nameof(Plan);
        // The event types Marten reads for it (a rebuild reads only these): every plan event.
        foreach (var type in PlanEvents.Types) IncludeType(type);
    }

    /// <summary>Applies one event; a plan that does not exist yet starts empty. An event of no known type throws (<see cref="UnknownPlanEventException"/>).</summary>
    public override Plan Evolve(Plan? snapshot, Guid id, IEvent e) => Plan.Evolve(snapshot ?? new Plan(), e.Data);

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
