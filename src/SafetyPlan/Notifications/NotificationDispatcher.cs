using System.Threading.Channels;
using Marten;
using Npgsql;
using SafetyPlan.Auth;
using SafetyPlan.Hosting;
using SafetyPlan.People;
using SafetyPlan.Plans;

namespace SafetyPlan.Notifications;

/// <summary>
/// Delivers a plan's queued notifications whose time has come, and records each outcome as an event. One deliverer
/// per plan at a time: in this process by a gate, across nodes by a PostgreSQL advisory lock. A crash after sending
/// but before recording the outcome is the one moment that can repeat a message; its Message-Id is then the same.
/// </summary>
public sealed class NotificationDispatcher(
    IDocumentStore store, PlanStreams plans, EmailSender email, WebhookSender webhook, TimeProvider clock, IConfiguration configuration,
    ILogger<NotificationDispatcher> logger)
{
    private static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private static readonly Caller Dispatcher = Caller.System("notifications");

    /// <param name="tenantId">the organisation (Marten tenant) the plan belongs to</param>
    public async Task DeliverDue(Guid planId, string tenantId, CancellationToken ct)
    {
        var gate = Gates[(planId.GetHashCode() & int.MaxValue) % Gates.Length];
        await gate.WaitAsync(ct);
        try
        {
            await using var connection = await store.OpenConnection(ct);
            var lockKey = BitConverter.ToInt64(planId.ToByteArray(), 0);
            await using (var take = new NpgsqlCommand("select pg_try_advisory_lock(@k)", connection))
            {
                take.Parameters.AddWithValue("k", lockKey);
                if (await take.ExecuteScalarAsync(ct) is not true) return; // another node is delivering this plan's notifications
            }
            try
            {
                await DeliverLocked(planId, tenantId, ct);
            }
            finally
            {
                await using var release = new NpgsqlCommand("select pg_advisory_unlock(@k)", connection);
                release.Parameters.AddWithValue("k", lockKey);
                await release.ExecuteScalarAsync(CancellationToken.None);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task DeliverLocked(Guid planId, string tenantId, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        var plan = await session.LoadAsync<Plan>(planId, ct);
        if (plan is null) return;
        var now = clock.GetUtcNow();
        foreach (var delivery in plan.Deliveries.Values.Where(d => d.Status == DeliveryStatus.Queued && d.NextAttemptAt <= now).OrderBy(d => d.QueuedAt))
        {
            var attempt = await Attempt(plan, tenantId, delivery, session, ct);
            await plans.Decide(planId, Dispatcher with { Organisation = Organisations.Tenants.Organisation(tenantId) }, "DeliverNotification",
                (current, at) => RecordDelivery.Decide(current, delivery.Key, attempt, at), ct);
        }
    }

    private async Task<DeliveryAttempt> Attempt(Plan plan, string tenantId, Delivery delivery, IQuerySession session, CancellationToken ct)
    {
        if (Notify.RecipientLeft(plan, delivery)) return new DeliveryAttempt.Skipped(Notify.RecipientRemoved);
        var baseUrl = configuration["App:BaseUrl"] ?? "http://localhost:5000";
        var deliveryId = Notify.DeliveryId(tenantId, plan.Id, delivery.Key);
        if (delivery.Channel == NotificationChannel.Webhook)
        {
            if (!webhook.IsConfigured) return new DeliveryAttempt.Skipped("No webhook is configured for the organisation (Webhook:Url, Webhook:Secret).");
            return await Try(() => webhook.Send(WebhookSender.Payload(plan, delivery, deliveryId, baseUrl), ct), webhook.Address, deliveryId, ct);
        }

        if (!email.IsConfigured)
            return new DeliveryAttempt.Skipped("E-mail is not configured (Smtp:Host); the notification is in the in-app inbox.");

        string? address, name, language;
        if (delivery.RecipientUserId is { } userId)
        {
            var user = await session.LoadAsync<UserAccount>(userId, ct);
            (address, name, language) = (user?.Email, user?.Name ?? userId, user?.Language ?? "nl");
        }
        else
        {
            var member = plan.Members.FirstOrDefault(m => m.Id == delivery.RecipientMemberId);
            (address, name, language) = (member?.Email, member?.Name ?? "", "nl");
        }
        if (string.IsNullOrWhiteSpace(address))
            return new DeliveryAttempt.Skipped("No e-mail address is known for this recipient; the notification is in the in-app inbox.");

        var message = NotificationText.Render(plan, delivery, name, language, baseUrl);
        return await Try(() => email.Send(address, name, message, deliveryId, ct), address, deliveryId, ct);
    }

    private async Task<DeliveryAttempt> Try(Func<Task> send, string address, string deliveryId, CancellationToken ct)
    {
        try
        {
            await send();
            return new DeliveryAttempt.Sent(address);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A sender's own timeout is an OperationCanceledException too: only our own cancellation (shutdown) is not an outcome.
            var failure = DeliveryPolicy.Classify(e);
            logger.LogWarning("Delivery {Delivery} failed ({Failure}, {Kind}): {Error}", deliveryId, failure.Code,
                failure.Permanent ? "permanent" : "temporary", e.Message);
            return new DeliveryAttempt.Failed(failure, e.Message);
        }
    }
}

/// <summary>Tells the background deliverer that a plan has new notifications, so they go out at once instead of at the next sweep.</summary>
public sealed class DeliverySignal
{
    private readonly Channel<(Guid PlanId, string TenantId)> _plans = Channel.CreateUnbounded<(Guid, string)>();
    public void Raise(Guid planId, string tenantId) => _plans.Writer.TryWrite((planId, tenantId));
    public IAsyncEnumerable<(Guid PlanId, string TenantId)> Read(CancellationToken ct) => _plans.Reader.ReadAllAsync(ct);
}

public sealed class BackgroundDelivery(DeliverySignal signal, NotificationDispatcher dispatcher, ILogger<BackgroundDelivery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (planId, tenantId) in signal.Read(stoppingToken))
        {
            try
            {
                await dispatcher.DeliverDue(planId, tenantId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: queued notifications are deadlines, so the next sweep delivers them.
                logger.LogError(e, "Delivering notifications of plan {PlanId} failed; the sweep will retry", planId);
            }
        }
    }
}
