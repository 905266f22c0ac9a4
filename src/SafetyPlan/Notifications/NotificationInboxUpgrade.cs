namespace SafetyPlan.Notifications;

/// <summary>
/// Once per database, before deliveries start: the in-app inbox was keyed by the delivery key alone, so two plans
/// telling one person the same kind of thing shared one item (the second plan's was never made). When any item of that
/// shape is left (it has no <see cref="InboxItem.Key"/>), the inbox is rebuilt from the events, every organisation's at
/// once, under the ids of <see cref="Notify.DeliveryId"/>. The events themselves are unchanged: their keys stay what
/// names a delivery within its plan, so deliveries queued before the upgrade are delivered once, as any other.
/// Idempotent: after the rebuild no such item is left, and later starts only look.
/// </summary>
public sealed class NotificationInboxUpgrade(IDocumentStore store, ILogger<NotificationInboxUpgrade> logger) : IHostedService
{
    /// <summary>The projection's name in Marten (that of its document), as rebuilds know it.</summary>
    public const string ProjectionName = nameof(InboxItem);

    public async Task StartAsync(CancellationToken cancellationToken) => await Run(cancellationToken);

    /// <returns>whether the inbox was rebuilt</returns>
    public async Task<bool> Run(CancellationToken ct)
    {
        await using (var session = store.QuerySession())
            if (!await session.Query<InboxItem>().AnyAsync(i => i.AnyTenant() && i.Key == null, ct)) return false;

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(ProjectionName, TimeSpan.FromMinutes(10), ct);
        logger.LogInformation("The notification inbox was rebuilt with one item per organisation, plan and delivery");
        return true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
