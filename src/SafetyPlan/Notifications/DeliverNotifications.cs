using Npgsql;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace SafetyPlan.Notifications;

/// <summary>
/// Deliver a plan's notifications whose time has come. Enrolled in the same transaction as the events that queue a
/// notification (now) or record a temporary failure (at its next attempt, <see cref="DeliveryPolicy.NextAttempt"/>), by
/// <see cref="Plans.PlanStreams"/>; handled on the durable local queue <see cref="ConfigureNotifications.DeliveryQueue"/>,
/// one message of a plan at a time (partitioned by <see cref="PlanId"/>). A message whose deliveries are not due yet, or
/// already delivered, does nothing: the plan's events decide, the message only wakes the deliverer.
/// </summary>
/// <param name="PlanId">the plan whose queued deliveries are due</param>
/// <param name="TenantId">the organisation (Marten tenant) the plan belongs to</param>
public sealed record DeliverNotifications(Guid PlanId, string TenantId);

/// <summary>Handles <see cref="DeliverNotifications"/> through <see cref="NotificationDispatcher.DeliverDue"/>.</summary>
public static class DeliverNotificationsHandler
{
    /// <summary>
    /// Wolverine's retry policies for this message. Failures of a receiver are not among them: the dispatcher records
    /// those as events and schedules the next attempt itself (<see cref="DeliveryPolicy"/>). The database unreachable
    /// (restarting, failing over) is retried for about ten minutes. Given up, nothing is lost: the queued deliveries are deadlines
    /// of the plan, and the deadline sweep delivers them (Scheduling/DeadlineSweep.cs).
    /// </summary>
    public static void Configure(HandlerChain chain)
    {
        chain.OnException<NpgsqlException>(e => e.IsTransient).Or<TimeoutException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5))
            .Then.Discard();
    }

    public static async Task Handle(DeliverNotifications message, NotificationDispatcher dispatcher, CancellationToken cancellationToken)
    {
        // Waits for another deliverer of the plan, so its answer (what it delivered, or nothing) is no message of its own.
        await dispatcher.DeliverDue(message.PlanId, message.TenantId, cancellationToken);
    }
}
