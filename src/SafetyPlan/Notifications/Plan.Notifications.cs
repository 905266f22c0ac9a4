namespace SafetyPlan.Plans;

// The plan's outbox: every notification queued in its stream and how its delivery went.
public sealed partial class Plan
{
    /// <summary>Every notification ever queued, by its delivery key; stored as one log (<see cref="DeliveryLogJson"/>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(DeliveryLogJson))]
    public Dictionary<string, Delivery> Deliveries { get; set; } = new();

    private void When(NotificationQueued e)
    {
        // A key is queued once; only a watcher's notice skipped as no longer needed may be queued again (Notify.MayBeQueuedAgain).
        if (Deliveries.TryGetValue(e.Key, out var earlier) && !Notifications.Notify.MayBeQueuedAgain(earlier)) return;
        Deliveries[e.Key] = new Delivery
        {
            Key = e.Key, Subject = e.Subject, Reference = e.Reference, RecipientUserId = e.RecipientUserId,
            RecipientMemberId = e.RecipientMemberId, Channel = e.Channel, QueuedAt = e.At, NextAttemptAt = e.At,
        };
    }

    private void When(NotificationSent e)
    {
        var delivery = Deliveries[e.Key];
        delivery.Status = DeliveryStatus.Sent;
        delivery.SentAt = e.At;
        delivery.Address = e.Address;
        EmailOutcome(delivery, refused: null);
    }

    private void When(NotificationFailed e)
    {
        var delivery = Deliveries[e.Key];
        delivery.Attempts = e.Attempt;
        delivery.LastError = e.Error;
        delivery.NextAttemptAt = e.NextAttemptAt;
    }

    private void When(NotificationSkipped e)
    {
        var delivery = Deliveries[e.Key];
        delivery.Status = DeliveryStatus.Skipped;
        delivery.LastError = e.Reason;
    }

    private void When(NotificationAbandoned e)
    {
        var delivery = Deliveries[e.Key];
        (delivery.Status, delivery.Attempts, delivery.Failure) = (DeliveryStatus.Failed, e.Attempts, e.Failure);
        if (e.Reason == AbandonReason.Refused && Notifications.DeliveryFailure.RefusesAddress(e.Failure)) EmailOutcome(delivery, refused: e.Failure);
    }

    private void CopyNotificationsTo(Plan copy) => copy.Deliveries = Deliveries.ToDictionary(d => d.Key, d => d.Value.Copy());
}

public enum DeliveryStatus { Queued, Sent, Skipped, Failed }

/// <summary>One notification queued in the plan's stream (<see cref="NotificationQueued"/>) and the state of its delivery.</summary>
public sealed class Delivery
{
    public string Key { get; set; } = "";
    public NotificationSubject Subject { get; set; }
    public string Reference { get; set; } = "";
    public string? RecipientUserId { get; set; }
    public Guid? RecipientMemberId { get; set; }
    public NotificationChannel Channel { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? Address { get; set; }
    public string? LastError { get; set; }
    /// <summary>Why it ended as failed: a code without personal data (NotificationAbandoned.Failure).</summary>
    public string? Failure { get; set; }

    internal Delivery Copy() => (Delivery)MemberwiseClone();
}
