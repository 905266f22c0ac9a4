using JasperFx;
using JasperFx.Events;
using SafetyPlan.Audit;
using SafetyPlan.Escalations;
using SafetyPlan.Notifications;
using SafetyPlan.People;
using SafetyPlan.Privacy;
using SafetyPlan.Reports;
using SafetyPlan.Statistics;
using Weasel.Core;
using Wolverine.Marten;

namespace SafetyPlan.Hosting;

/// <summary>The event store as a whole (Marten on PostgreSQL).</summary>
public static class ConfigureEventStore
{
    /// <summary>
    /// Marten's store-wide policy: the schema, serialization, event metadata, tenancy per organisation, schema migration
    /// at start-up and the Wolverine integration. What each module keeps in the store is in its own Configure... class.
    /// </summary>
    public static IServiceCollection AddSafetyPlanEventStore(this IServiceCollection services, string connectionString)
    {
        services.AddMarten(opts => opts.UseSafetyPlanStore(connectionString))
            .UseLightweightSessions()
            .BuildSessionsWith<Organisations.OrganisationSessions>()
            .ApplyAllDatabaseChangesOnStartup()
            // Wolverine runs the async projections: all on the one node (Solo), or spread over the nodes and moved when
            // one dies (Balanced, Cluster:Nodes > 1). Wolverine-managed rather than Marten's HotCold daemon: docs/decisions/0002.
            .IntegrateWithWolverine(wolverine => wolverine.UseWolverineManagedEventSubscriptionDistribution = true);
        return services;
    }

    /// <summary>
    /// The store itself, without the host around it: what <see cref="AddSafetyPlanEventStore"/> registers, and what a
    /// tool that only rebuilds projections from the events uses (no Hangfire, no Wolverine host, whose static state a
    /// second host in one process would otherwise take over).
    /// </summary>
    public static StoreOptions UseSafetyPlanStore(this StoreOptions opts, string connectionString)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = "safetyplan";
        Organisations.TenancyUpgrade.Apply(connectionString, opts.DatabaseSchemaName); // before Marten migrates
        opts.UseStoredJson();
        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        opts.Events.MetadataConfig.EnableAll();
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.AppendMode = EventAppendMode.Rich;
        // The plan FetchForWriting loaded is the one the inline projection advances: no second read of the document per append.
        opts.Events.UseIdentityMapForAggregates = true;

        // Organisations are isolated: every event and document belongs to one (docs/security.md, "Organisations").
        opts.Events.TenancyStyle = JasperFx.MultiTenancy.TenancyStyle.Conjoined;
        opts.Policies.AllDocumentsAreMultiTenanted();

        // Each module's projections, indexes and document types (its Configure... class).
        opts.AddPlans().AddPrivacy().AddEscalations().AddNotifications().AddReports().AddStatistics().AddPeople().AddAudit();

        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        return opts;
    }

    /// <summary>
    /// How events and documents are written to the store: System.Text.Json, camelCase property names, enums by name.
    /// The stored shape of every plan event follows from it (pinned by the test <c>when_an_event_is_added</c>).
    /// </summary>
    public static StoreOptions UseStoredJson(this StoreOptions opts)
    {
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        return opts;
    }
}
