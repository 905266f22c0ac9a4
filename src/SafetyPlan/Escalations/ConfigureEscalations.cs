using JasperFx.Events.Projections;

namespace SafetyPlan.Escalations;

/// <summary>The escalation module's part of the event store.</summary>
public static class ConfigureEscalations
{
    /// <summary>The escalation inbox: inline (an escalation is visible the moment it is raised), indexed by monitor and backup.</summary>
    public static StoreOptions AddEscalations(this StoreOptions options)
    {
        options.Projections.Add<EscalationInboxProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<EscalationView>().Index(e => e.MonitorId).Index(e => e.BackupId);
        return options;
    }
}
