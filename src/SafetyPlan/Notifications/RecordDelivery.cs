namespace SafetyPlan.Notifications;

/// <summary>What one attempt at a delivery came to, as the dispatcher saw it.</summary>
public abstract record DeliveryAttempt
{
    /// <param name="Address">where it went: the e-mail address, or <c>webhook:{organisation}</c> (never the webhook's URL)</param>
    public sealed record Sent(string Address) : DeliveryAttempt;

    /// <param name="Reason">why it cannot go by this channel (an English sentence that holds nothing of the case)</param>
    public sealed record Skipped(string Reason) : DeliveryAttempt;

    /// <param name="Failure">what the failure means (<see cref="DeliveryPolicy.Classify"/>)</param>
    /// <param name="Error">the sender's or server's own words (may quote an address: personal, masked at retention)</param>
    public sealed record Failed(DeliveryFailure Failure, string Error) : DeliveryAttempt;
}

/// <summary>Where a delivery stands after an attempt was recorded.</summary>
public enum DeliveryOutcome { Sent, Skipped, Retrying, Failed }

/// <summary>
/// The outcome of one delivery attempt, as events: <see cref="NotificationSent"/>, <see cref="NotificationSkipped"/>,
/// <see cref="NotificationFailed"/> (temporary: tried again at its <c>nextAttemptAt</c>), or
/// <see cref="NotificationAbandoned"/> (refused for good, or failing until <see cref="DeliveryPolicy.RetryFor"/> after it
/// was queued: never tried again). Idempotent: a delivery that is no longer queued records nothing. A skip as no longer
/// needed is judged again on the plan it is recorded on (<see cref="Notify.NoLongerWanted"/>): when the plan wants it
/// again, nothing is recorded and it stays queued (outcome <c>Retrying</c>).
/// </summary>
public static class RecordDelivery
{
    /// <param name="key">the delivery's key within the plan (<see cref="Notify.Key"/>)</param>
    public static Decision<DeliveryOutcome> Decide(Plan? plan, string key, DeliveryAttempt attempt, DateTimeOffset now)
    {
        if (plan is null || !plan.Deliveries.TryGetValue(key, out var delivery))
            return Decision.Repeat(Outcome(attempt));
        if (delivery.Status != DeliveryStatus.Queued)
            return Decision.Repeat(delivery.Status switch
            {
                DeliveryStatus.Sent => DeliveryOutcome.Sent, DeliveryStatus.Skipped => DeliveryOutcome.Skipped, _ => DeliveryOutcome.Failed,
            });
        switch (attempt)
        {
            case DeliveryAttempt.Sent sent:
                return Decision.Accept(DeliveryOutcome.Sent, new NotificationSent(key, sent.Address, now));
            case DeliveryAttempt.Skipped { Reason: Notify.NoLongerNeeded } when Notify.NoLongerWanted(plan, delivery, now) is null:
                // Judged on the plan as the dispatcher read it; since then what it is about came back (an occurrence
                // corrected to kept is reported not kept again, reminders turned on again). Recording the skip would
                // silence it for good: it stays queued, and the dispatcher attempts it again.
                return Decision.Accept(DeliveryOutcome.Retrying);
            case DeliveryAttempt.Skipped skipped:
                return Decision.Accept(DeliveryOutcome.Skipped, new NotificationSkipped(key, skipped.Reason, now));
            case DeliveryAttempt.Failed { Failure.Permanent: true } refused:
                return Decision.Accept(DeliveryOutcome.Failed,
                    new NotificationAbandoned(key, AbandonReason.Refused, refused.Failure.Code, delivery.Attempts + 1, now));
            case DeliveryAttempt.Failed failed:
                var number = delivery.Attempts + 1;
                return DeliveryPolicy.NextAttempt(delivery.QueuedAt, number, now) is { } next
                    ? Decision.Accept(DeliveryOutcome.Retrying, new NotificationFailed(key, number, failed.Error, next, now))
                    : Decision.Accept(DeliveryOutcome.Failed,
                        new NotificationAbandoned(key, AbandonReason.RetriesExhausted, failed.Failure.Code, number, now));
            default:
                throw new ArgumentOutOfRangeException(nameof(attempt), attempt, null);
        }
    }

    /// <summary>
    /// The outcomes of several attempts at a plan's deliveries, in order, as one decision (one append): each as
    /// <see cref="Decide(Plan?, string, DeliveryAttempt, DateTimeOffset)"/> decides it on the plan with the earlier ones
    /// applied. Repeated when none of them records anything (all were recorded before).
    /// </summary>
    /// <param name="attempts">the delivery's key within the plan and what its attempt came to, in the order they were made</param>
    public static Decision<IReadOnlyList<DeliveryOutcome>> Decide(Plan? plan, IReadOnlyList<(string Key, DeliveryAttempt Attempt)> attempts, DateTimeOffset now)
    {
        // Decisions must not touch the plan they were given: Marten applies the appended events to that instance itself.
        var working = attempts.Count > 1 ? plan?.Copy() : plan;
        var (outcomes, events) = (new List<DeliveryOutcome>(), new List<object>());
        foreach (var (key, attempt) in attempts)
        {
            var one = Decide(working, key, attempt, now);
            outcomes.Add(one.Result);
            if (working is not null && attempts.Count > 1) foreach (var e in one.Events) Plan.Evolve(working, e);
            events.AddRange(one.Events);
        }
        return events.Count == 0 ? Decision.Repeat<IReadOnlyList<DeliveryOutcome>>(outcomes) : Decision.Accept<IReadOnlyList<DeliveryOutcome>>(outcomes, events);
    }

    private static DeliveryOutcome Outcome(DeliveryAttempt attempt) => attempt switch
    {
        DeliveryAttempt.Sent => DeliveryOutcome.Sent,
        DeliveryAttempt.Skipped => DeliveryOutcome.Skipped,
        _ => DeliveryOutcome.Retrying,
    };
}
