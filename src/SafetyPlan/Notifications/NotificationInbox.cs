using JasperFx.Events;
using Marten.Events.Projections;

namespace SafetyPlan.Notifications;

/// <summary>One notification in someone's in-app inbox, with how its delivery went.</summary>
public sealed class InboxItem
{
    /// <summary>The delivery's name across plans and organisations (<see cref="Notify.DeliveryId"/>).</summary>
    public string Id { get; set; } = "";
    /// <summary>The delivery's key within its plan (<see cref="Notify.Key"/>); absent on items projected before the id held the plan.</summary>
    public string? Key { get; set; }
    public Guid PlanId { get; set; }
    public NotificationSubject Subject { get; set; }
    public string Reference { get; set; } = "";
    public string? RecipientUserId { get; set; }
    public Guid? RecipientMemberId { get; set; }
    public NotificationChannel Channel { get; set; }
    public DeliveryStatus Delivery { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>Why its delivery ended as failed (<c>delivery: failed</c>): a code without personal data, such as <c>smtp-550</c>.</summary>
    public string? Failure { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>
/// The in-app inbox: one item per delivery except push deliveries (their e-mail twin is the item), named by <see cref="Notify.DeliveryId"/> (organisation, plan and key), so
/// that two plans telling the same person the same kind of thing are two items. Inline, in the organisation's tenant.
/// </summary>
public sealed partial class NotificationInboxProjection : MultiStreamProjection<InboxItem, string>
{
    public NotificationInboxProjection()
    {
        Identities<IEvent<NotificationQueued>>(e => Ids(e, e.Data.Key));
        Identities<IEvent<NotificationSent>>(e => Ids(e, e.Data.Key));
        Identities<IEvent<NotificationFailed>>(e => Ids(e, e.Data.Key));
        Identities<IEvent<NotificationSkipped>>(e => Ids(e, e.Data.Key));
        Identities<IEvent<NotificationAbandoned>>(e => Ids(e, e.Data.Key));
    }

    private static string Id(IEvent e, string key) => Notify.DeliveryId(e.TenantId, e.StreamId, key);

    // A push delivery is the same notification to the same person as its e-mail twin: one inbox item, the e-mail's.
    private static IReadOnlyList<string> Ids(IEvent e, string key) => Notify.IsPush(key) ? [] : [Id(e, key)];

    public InboxItem Create(IEvent<NotificationQueued> e) => new()
    {
        Id = Id(e, e.Data.Key), Key = e.Data.Key, PlanId = e.StreamId, Subject = e.Data.Subject, Reference = e.Data.Reference,
        RecipientUserId = e.Data.RecipientUserId, RecipientMemberId = e.Data.RecipientMemberId, Channel = e.Data.Channel,
        Delivery = DeliveryStatus.Queued, QueuedAt = e.Data.At,
    };

    /// <summary>A watcher's notice skipped as no longer needed and queued again (<see cref="Notify.MayBeQueuedAgain"/>) is queued again; any other repeat changes nothing.</summary>
    public void Apply(InboxItem item, NotificationQueued e)
    {
        if (item is not { Subject: NotificationSubject.AgreementSlipped, Delivery: DeliveryStatus.Skipped, LastError: Notify.NoLongerNeeded }) return;
        (item.Delivery, item.QueuedAt, item.LastError, item.Attempts, item.SentAt, item.Failure) = (DeliveryStatus.Queued, e.At, null, 0, null, null);
    }

    public void Apply(InboxItem item, NotificationSent e) => (item.Delivery, item.SentAt) = (DeliveryStatus.Sent, e.At);

    public void Apply(InboxItem item, NotificationFailed e) => (item.Attempts, item.LastError) = (e.Attempt, e.Error);

    public void Apply(InboxItem item, NotificationSkipped e) => (item.Delivery, item.LastError) = (DeliveryStatus.Skipped, e.Reason);

    public void Apply(InboxItem item, NotificationAbandoned e) =>
        (item.Delivery, item.Attempts, item.Failure) = (DeliveryStatus.Failed, e.Attempts, e.Failure);
}

public static class NotificationInboxEndpoint
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/notifications", async (HttpContext http, IQuerySession session, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var query = caller.MemberId is { } memberId
                ? session.Query<InboxItem>().Where(i => i.RecipientMemberId == memberId)
                : session.Query<InboxItem>().Where(i => i.RecipientUserId == caller.UserId);
            return Results.Ok(await query.OrderByDescending(i => i.QueuedAt).Take(200).ToListAsync(ct));
        })
        .RequireAuthorization()
        .WithTags("Notifications")
        .WithSummary("The signed-in person's notifications (escalations, reminders) and how their delivery went.")
        .Produces<IReadOnlyList<InboxItem>>();
}
