using SafetyPlan.Decisions;
using SafetyPlan.Plans;

namespace SafetyPlan.Notifications;

public enum DeliveryOutcome { Sent, Failed, Skipped }

/// <summary>The outcome of one delivery attempt, as events. Idempotent: a delivery that is no longer queued records nothing.</summary>
public static class RecordDelivery
{
    public static Decision<DeliveryOutcome> Decide(Plan? plan, string key, DeliveryOutcome outcome, string detail, DateTimeOffset now)
    {
        if (plan is null || !plan.Deliveries.TryGetValue(key, out var delivery) || delivery.Status != DeliveryStatus.Queued)
            return Decision.Repeat(outcome);
        return outcome switch
        {
            DeliveryOutcome.Sent => Decision.Accept(outcome, new NotificationSent(key, detail, now)),
            DeliveryOutcome.Skipped => Decision.Accept(outcome, new NotificationSkipped(key, detail, now)),
            _ => Decision.Accept(outcome, new NotificationFailed(key, delivery.Attempts + 1, detail, now + Backoff(delivery.Attempts + 1), now)),
        };
    }

    /// <summary>1, 2, 4, ... minutes, at most an hour: a mail server that is down is retried until it is back.</summary>
    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Min(attempt - 1, 6))));
}
