using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using SafetyPlan.Escalations;
using SafetyPlan.People;
using SafetyPlan.Plans;
using Weasel.Core;
using Wolverine.Marten;

namespace SafetyPlan.Hosting;

public static class ConfigureEventStore
{
    /// <summary>Marten: one stream per plan, the plan as an inline snapshot, the escalation inbox as an inline projection.</summary>
    public static IServiceCollection AddSafetyPlanEventStore(this IServiceCollection services, string connectionString)
    {
        services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = "safetyplan";
                Organisations.TenancyUpgrade.Apply(connectionString, opts.DatabaseSchemaName); // before Marten migrates
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.MetadataConfig.EnableAll();
                opts.Events.MetadataConfig.UserNameEnabled = true;
                opts.Events.AppendMode = EventAppendMode.Rich;
                // The plan FetchForWriting loaded is the one the inline projection advances: no second read of the document per append.
                opts.Events.UseIdentityMapForAggregates = true;

                // Organisations are isolated: every event and document belongs to one (docs/security.md, "Organisations").
                opts.Events.TenancyStyle = JasperFx.MultiTenancy.TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();
                opts.Schema.For<Plan>().Metadata(m => m.TenantId.MapTo(p => p.TenantId!));

                // Events that changed shape are upcast on read (docs/events.md, "Schema evolution").
                opts.Events.Upcast<NetworkMemberAdded, MemberAdded>(old => old.Upcast());
                // What is masked when a closed plan's retention period passes (docs/security.md, "Privacy and retention").
                Privacy.PersonalDataMasking.Register(opts.Events);

                opts.Projections.Add<PlanProjection>(ProjectionLifecycle.Inline); // the Plan snapshot, with its chain head
                opts.Projections.Add<EscalationInboxProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<Notifications.NotificationInboxProjection>(ProjectionLifecycle.Inline);
                // Inline and inserted: a clientId used twice on a plan fails the append (Reports/ReportReceipt.cs).
                opts.Projections.Add<Reports.ReportReceiptProjection>(ProjectionLifecycle.Inline);
                // Async: run by Wolverine on one node at a time (see IntegrateWithWolverine below and docs/scaling.md).
                opts.Projections.Add<Statistics.DailyComplianceProjection>(ProjectionLifecycle.Async);

                opts.Schema.For<Plan>().Index(p => p.MonitorId).Index(p => p.NextDeadlineAt);
                opts.Schema.For<EscalationView>().Index(e => e.MonitorId).Index(e => e.BackupId);
                opts.Schema.For<Notifications.InboxItem>().Index(i => i.RecipientUserId).Index(i => i.RecipientMemberId);
                opts.Schema.For<UserAccount>().Identity(u => u.Id);
                opts.Schema.For<Audit.AccessLogEntry>().Index(e => e.PlanId);
                opts.Schema.For<PlanReplaySnapshot>().Index(s => s.PlanId);

                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            })
            .UseLightweightSessions()
            .BuildSessionsWith<Organisations.OrganisationSessions>()
            .ApplyAllDatabaseChangesOnStartup()
            // Wolverine runs the async projections: all on the one node (Solo), or spread over the nodes and moved when
            // one dies (Balanced, Cluster:Nodes > 1). Wolverine-managed rather than Marten's HotCold daemon: docs/decisions/0002.
            .IntegrateWithWolverine(wolverine => wolverine.UseWolverineManagedEventSubscriptionDistribution = true);
        services.AddHttpContextAccessor();
        services.AddSingleton<PlanStreams>();
        services.AddHostedService<Reports.ReceiptsFromEvents>(); // after Marten's own start: its schema is in place
        return services;
    }
}
