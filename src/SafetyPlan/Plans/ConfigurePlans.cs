using JasperFx.Events.Projections;

namespace SafetyPlan.Plans;

/// <summary>The plan module's part of the event store and its services.</summary>
public static class ConfigurePlans
{
    /// <summary>
    /// One stream per plan; the plan document is an inline snapshot of it (with its chain head), tenant-stamped, indexed
    /// by monitor, backup, team (the plan list asks for either of the three) and next deadline (the sweep); events that changed shape are upcast on
    /// read (docs/events.md, "Schema evolution"); the replay snapshots are indexed by plan.
    /// </summary>
    public static StoreOptions AddPlans(this StoreOptions options)
    {
        options.Schema.For<Plan>().Metadata(m => m.TenantId.MapTo(p => p.TenantId!));
        options.Events.Upcast<NetworkMemberAdded, MemberAdded>(old => old.Upcast());
        options.Projections.Add<PlanProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Plan>().Index(p => p.MonitorId).Index(p => p.BackupId).Index(p => p.TeamId).Index(p => p.NextDeadlineAt);
        options.Schema.For<PlanReplaySnapshot>().Index(s => s.PlanId);
        return options;
    }

    /// <summary><see cref="PlanStreams"/>, the one way events reach a plan's stream.</summary>
    public static IServiceCollection AddPlans(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<PlanStreams>();
        return services;
    }
}
