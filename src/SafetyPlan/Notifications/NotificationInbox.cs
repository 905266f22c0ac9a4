using Marten;
using Marten.Events.Projections;
using SafetyPlan.Auth;
using SafetyPlan.Plans;

namespace SafetyPlan.Notifications;

/// <summary>One notification in someone's in-app inbox, with how its delivery went.</summary>
public sealed class InboxItem
{
    public string Id { get; set; } = "";
    public Guid PlanId { get; set; }
    public NotificationSubject Subject { get; set; }
    public string Reference { get; set; } = "";
    public string? RecipientUserId { get; set; }
    public Guid? RecipientMemberId { get; set; }
    public NotificationChannel Channel { get; set; }
    public DeliveryStatus Delivery { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

public sealed partial class NotificationInboxProjection : MultiStreamProjection<InboxItem, string>
{
    public NotificationInboxProjection()
    {
        Identity<NotificationQueued>(e => e.Key);
        Identity<NotificationSent>(e => e.Key);
        Identity<NotificationFailed>(e => e.Key);
        Identity<NotificationSkipped>(e => e.Key);
    }

    public InboxItem Create(JasperFx.Events.IEvent<NotificationQueued> e) => new()
    {
        Id = e.Data.Key, PlanId = e.StreamId, Subject = e.Data.Subject, Reference = e.Data.Reference,
        RecipientUserId = e.Data.RecipientUserId, RecipientMemberId = e.Data.RecipientMemberId, Channel = e.Data.Channel,
        Delivery = DeliveryStatus.Queued, QueuedAt = e.Data.At,
    };

    public void Apply(InboxItem item, NotificationSent e)
    {
        item.Delivery = DeliveryStatus.Sent;
        item.SentAt = e.At;
    }

    public void Apply(InboxItem item, NotificationFailed e)
    {
        item.Attempts = e.Attempt;
        item.LastError = e.Error;
    }

    public void Apply(InboxItem item, NotificationSkipped e)
    {
        item.Delivery = DeliveryStatus.Skipped;
        item.LastError = e.Reason;
    }
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
