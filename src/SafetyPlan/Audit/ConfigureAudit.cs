namespace SafetyPlan.Audit;

/// <summary>The audit module's part of the event store.</summary>
public static class ConfigureAudit
{
    /// <summary>The access log, indexed by plan (a plan's case file lists who read it).</summary>
    public static StoreOptions AddAudit(this StoreOptions options)
    {
        options.Schema.For<AccessLogEntry>().Index(e => e.PlanId);
        return options;
    }
}
