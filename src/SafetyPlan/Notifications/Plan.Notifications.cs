namespace SafetyPlan.Plans;

// The plan's outbox: the notifications queued in its stream and how their delivery went.
public sealed partial class Plan : System.Text.Json.Serialization.IJsonOnDeserialized
{
    /// <summary>
    /// Every notification queued, by its delivery key, except the check-in reminders that ended and whose occurrence is
    /// settled (counted in <see cref="RemindersSettled"/>); stored as one log (<see cref="DeliveryLogJson"/>). In the order
    /// they were first queued, also after some left: a <see cref="Dictionary{TKey,TValue}"/> reuses a removed entry's slot,
    /// so a plan read back and a replay of its events would list the same deliveries in different orders.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(DeliveryLogJson))]
    public OrderedDictionary<string, Delivery> Deliveries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The check-in reminders that left <see cref="Deliveries"/>, counted by how their delivery ended: a reminder leaves
    /// once its delivery ended (sent, skipped or failed) and its occurrence is settled (reported on or missed), except the
    /// <see cref="FailedRemindersKept"/> latest failed ones (<see cref="LeaveIfSettled"/>).
    /// </summary>
    public SettledReminders RemindersSettled
    {
        get => remindersSettled;
        set => (remindersSettled, remindersSettledStored) = (value, true);
    }

    private SettledReminders remindersSettled = SettledReminders.None;
    // Whether RemindersSettled was set: read from a document that has it, or counted. A document without it was stored
    // before reminders left the plan (1 December 2026) and still holds its settled ones.
    private bool remindersSettledStored;

    /// <summary>
    /// After a document is read: one stored before reminders left the plan lets its settled reminders leave now, as a replay
    /// of its events would have (the same deliveries in the same order, the same counts), so that its status, its replay
    /// and its next write agree without a rebuild. A plan built from events never needs it.
    /// </summary>
    void System.Text.Json.Serialization.IJsonOnDeserialized.OnDeserialized()
    {
        if (remindersSettledStored) return;
        foreach (var delivery in Deliveries.Values.Where(d => d.Subject == NotificationSubject.CheckInReminder).ToList()) LeaveIfSettled(delivery);
    }

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
        LeaveIfSettled(delivery);
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
        LeaveIfSettled(delivery);
    }

    private void When(NotificationAbandoned e)
    {
        var delivery = Deliveries[e.Key];
        (delivery.Status, delivery.Attempts, delivery.Failure) = (DeliveryStatus.Failed, e.Attempts, e.Failure);
        if (e.Reason == AbandonReason.Refused && Notifications.DeliveryFailure.RefusesAddress(e.Failure)) EmailOutcome(delivery, refused: e.Failure);
        LeaveIfSettled(delivery);
    }

    /// <summary>
    /// The occurrence was reported on or missed (Reports/Plan.Reports.cs): its reminders whose delivery already ended
    /// leave the plan (<see cref="LeaveIfSettled"/>); one still queued leaves when its outcome is recorded.
    /// </summary>
    private void SettleReminders(Agreement agreement, DateTimeOffset occurrence)
    {
        // By subject and reference, as a document read back finds them (OnDeserialized), whatever their keys.
        var reference = Notifications.Notify.OccurrenceReference(agreement.Id, occurrence);
        foreach (var reminder in Deliveries.Values.Where(d => d.Subject == NotificationSubject.CheckInReminder && d.Reference == reference).ToList())
            LeaveIfSettled(reminder);
    }

    /// <summary>How many failed reminders of settled occurrences stay, the latest queued: the plan page shows whom they did not reach.</summary>
    public const int FailedRemindersKept = 20;

    // Check-in reminders are the one subject that comes in bulk: one per occurrence and channel, 18,000 in five years of
    // five daily agreements. Once a reminder's delivery ended and its occurrence is settled, no rule reads it again
    // (Reminders.Next and Notify.NoLongerWanted skip settled occurrences, the member's "for you" list shows open ones), so
    // it leaves the document, counted: the plan stays small however long it runs (README, "What a plan document holds").
    // The plan's events keep every reminder (history, replay), and the member's inbox keeps its item.
    // A failed one stays while it is among the FailedRemindersKept latest, so that whom the reminders did not reach stays
    // in sight (the member, the failure); the oldest beyond them leaves, so a broken address cannot grow the plan either.
    private void LeaveIfSettled(Delivery delivery)
    {
        if (!IsSettledReminder(delivery)) return;
        if (delivery.Status == DeliveryStatus.Failed)
        {
            var failed = Deliveries.Values.Where(d => d.Status == DeliveryStatus.Failed && IsSettledReminder(d)).Take(FailedRemindersKept + 1).ToList();
            if (failed.Count <= FailedRemindersKept) return;
            delivery = failed[0];
        }
        Deliveries.Remove(delivery.Key);
        RemindersSettled = RemindersSettled.Count(delivery.Status);
    }

    private bool IsSettledReminder(Delivery delivery) =>
        delivery is { Subject: NotificationSubject.CheckInReminder, Status: not DeliveryStatus.Queued }
        && Notifications.Notify.TryReadOccurrenceReference(delivery.Reference, out var agreementId, out var occurrence)
        && FindAgreement(agreementId)?.IsSettled(occurrence) == true;

    private void CopyNotificationsTo(Plan copy) => copy.Deliveries = new(Deliveries.Select(d => KeyValuePair.Create(d.Key, d.Value.Copy())), StringComparer.Ordinal);
}

public enum DeliveryStatus { Queued, Sent, Skipped, Failed }

/// <summary>
/// How many check-in reminders of a plan ended, and left its document once their occurrence was settled
/// (<see cref="Plan.RemindersSettled"/>), by how their delivery ended. Immutable: a plan's copy shares it.
/// </summary>
/// <param name="Sent">delivered (e-mail accepted by the SMTP server, or push accepted by at least one push service)</param>
/// <param name="Skipped">not sent: no address or subscription, e-mail not configured, or no longer needed when it was to go</param>
/// <param name="Failed">ended without arriving: refused for good, or failing until the retries ran out</param>
public sealed record SettledReminders(int Sent, int Skipped, int Failed)
{
    public static readonly SettledReminders None = new(0, 0, 0);

    /// <summary>These counts with one more reminder that ended as <paramref name="status"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is <c>Queued</c>: a queued reminder has not ended</exception>
    public SettledReminders Count(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => this with { Sent = Sent + 1 },
        DeliveryStatus.Skipped => this with { Skipped = Skipped + 1 },
        DeliveryStatus.Failed => this with { Failed = Failed + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A queued reminder has not ended."),
    };
}

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
