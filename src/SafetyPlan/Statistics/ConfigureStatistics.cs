using JasperFx.Events.Projections;

namespace SafetyPlan.Statistics;

/// <summary>The statistics module's part of the event store.</summary>
public static class ConfigureStatistics
{
    /// <summary>
    /// The daily compliance figures: asynchronous, run by Wolverine on one node at a time (docs/scaling.md), because inline
    /// one row per day would be a lock every report in the country waits for (docs/decisions/0002).
    /// </summary>
    public static StoreOptions AddStatistics(this StoreOptions options)
    {
        options.Projections.Add<DailyComplianceProjection>(ProjectionLifecycle.Async);
        return options;
    }
}
