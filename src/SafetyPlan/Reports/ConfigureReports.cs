using JasperFx.Events.Projections;

namespace SafetyPlan.Reports;

/// <summary>The reports module's part of the event store and its services.</summary>
public static class ConfigureReports
{
    /// <summary>Report receipts: inline and inserted, so a clientId used twice on a plan fails the append (<see cref="ReportReceipt"/>).</summary>
    public static StoreOptions AddReports(this StoreOptions options)
    {
        options.Projections.Add<ReportReceiptProjection>(ProjectionLifecycle.Inline);
        return options;
    }

    /// <summary>Writes the receipts of reports made before receipts existed (<see cref="ReceiptsFromEvents"/>); register after Marten, whose schema it needs.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddHostedService<ReceiptsFromEvents>();
        return services;
    }
}
