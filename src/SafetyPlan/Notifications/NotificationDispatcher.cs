using Npgsql;
using SafetyPlan.Hosting;
using SafetyPlan.People;

namespace SafetyPlan.Notifications;

/// <summary>
/// Delivers a plan's queued notifications whose time has come, and records each outcome as an event. Called by the
/// handler of <see cref="DeliverNotifications"/> (the durable local queue, one message of a plan at a time) and by the
/// deadline sweep (the safety net). One deliverer per plan at a time, in this process and across nodes: a PostgreSQL
/// advisory lock on the plan. Outcomes are recorded together, in one append, but never more than one message sent and
/// not yet recorded: before each message goes out, the outcomes so far are recorded when one of them sent something. A
/// crash after sending but before recording is so still the one moment that can repeat a message, one at most; its
/// Message-Id (push: its topic; webhook: its delivery id) is then the same.
/// </summary>
public sealed class NotificationDispatcher(
    IDocumentStore store, PlanStreams plans, EmailSender email, WebhookSender webhook, PushSender push, TimeProvider clock, Hosting.AppAddress appAddress,
    ILogger<NotificationDispatcher> logger)
{
    private static readonly Caller Dispatcher = Caller.System("notifications");

    /// <summary>
    /// Attempts every queued delivery of the plan that is due by now, oldest first, and records each outcome. Waits while
    /// another deliverer (this node's sweep or queue, or another node) holds the plan, and then finds what it delivered
    /// recorded; the lock is the session's, so a deliverer that dies lets go of it with its connection.
    /// </summary>
    /// <param name="tenantId">the organisation (Marten tenant) the plan belongs to</param>
    /// <param name="waitForOtherDeliverer">
    /// false for Hangfire's sweep: when another deliverer holds the plan, it is delivering, and the sweep goes on to the
    /// next plan instead of waiting (a busy plan must not hold up every alarm behind it)
    /// </param>
    /// <returns>false when the plan was left to another deliverer that held it</returns>
    public async Task<bool> DeliverDue(Guid planId, string tenantId, CancellationToken ct, bool waitForOtherDeliverer = true)
    {
        await using var connection = await store.OpenConnection(ct);
        var lockKey = BitConverter.ToInt64(planId.ToByteArray(), 0);
        await using (var take = new NpgsqlCommand(waitForOtherDeliverer ? "select pg_advisory_lock(@k)::text" : "select pg_try_advisory_lock(@k)::text", connection))
        {
            take.Parameters.AddWithValue("k", lockKey);
            if (await take.ExecuteScalarAsync(ct) is "false") return false;
        }
        try
        {
            // Another pass when a skip judged on the plan as read was refused at recording, because the plan wants it again.
            for (var pass = 0; pass < 3 && await DeliverLocked(planId, tenantId, ct); pass++) { }
            return true;
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock(@k)", connection);
            release.Parameters.AddWithValue("k", lockKey);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    /// <returns>whether a delivery skipped as no longer wanted is wanted again on the plan it was to be recorded on (it stays queued: another pass sends it)</returns>
    private async Task<bool> DeliverLocked(Guid planId, string tenantId, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        // A half-rebuilt plan shows deliveries as queued that were long sent: sending them would repeat them.
        var plan = await PlanStreams.LoadWhole(session, planId, ct);
        if (plan is null) return false;
        var wantedAgain = false;
        var now = clock.GetUtcNow();
        var pending = new List<(string Key, DeliveryAttempt Attempt)>();
        var caller = Dispatcher with { Organisation = Organisations.Tenants.Organisation(tenantId) };

        // Skips send nothing and wait for the next record; a message about to go out first records an earlier one that went.
        // Recorded whatever the cancellation says: once a message is out, dropping its outcome would send it again.
        async Task<bool> RecordPending()
        {
            if (pending.Count == 0) return true;
            var attempts = pending.ToList();
            pending.Clear();
            var recorded = await plans.Decide(planId, caller, "DeliverNotification", (current, at) => RecordDelivery.Decide(current, attempts, at), CancellationToken.None);
            if (recorded.Rejection is not { } refused)
            {
                wantedAgain |= recorded.Result!.Zip(attempts).Any(r => r is (DeliveryOutcome.Retrying, (_, DeliveryAttempt.Skipped)));
                return true;
            }
            // Not recorded (the plan is being rebuilt, or kept changing): stop here; the next run finds them still queued.
            logger.LogWarning("The outcomes of {Count} deliveries of plan {PlanId}, the first {Delivery}, were not recorded: {Reason}", attempts.Count, planId,
                Notify.DeliveryId(tenantId, planId, attempts[0].Key), refused.Detail.En);
            return false;
        }
        var stopped = false;
        async Task<bool> BeforeSending()
        {
            if (!pending.Any(p => p.Attempt is not DeliveryAttempt.Skipped) || await RecordPending()) return true;
            stopped = true;
            return false;
        }

        try
        {
            foreach (var delivery in plan.Deliveries.Values.Where(d => d.Status == DeliveryStatus.Queued && d.NextAttemptAt <= now).OrderBy(d => d.QueuedAt).ToList())
            {
                var attempt = Notify.NoLongerWanted(plan, delivery, now) is { } pointless
                    ? new DeliveryAttempt.Skipped(pointless)
                    : await Attempt(plan, tenantId, delivery, session, BeforeSending, ct);
                if (stopped) return false;
                pending.Add((delivery.Key, attempt));
            }
        }
        catch (Exception) when (pending.Any(p => p.Attempt is not DeliveryAttempt.Skipped))
        {
            // The next delivery's lookup failed (the database, a damaged document, shutdown): the message that went out
            // before it is recorded first, or every later run would send it again.
            await RecordPending();
            throw;
        }
        await RecordPending();
        return wantedAgain;
    }

    /// <param name="beforeSending">called right before a message goes out; false when it must not (the outcomes before it could not be recorded)</param>
    private async Task<DeliveryAttempt> Attempt(Plan plan, string tenantId, Delivery delivery, IQuerySession session, Func<Task<bool>> beforeSending, CancellationToken ct)
    {
        var baseUrl = appAddress.BaseUrl;
        var deliveryId = Notify.DeliveryId(tenantId, plan.Id, delivery.Key);
        if (delivery.Channel == NotificationChannel.Webhook)
        {
            // The URL can hold a token of the receiver's: events, the inbox and logs name the organisation instead.
            var organisation = Organisations.Tenants.Organisation(tenantId);
            if (await webhook.For(organisation, session, ct) is not { } target)
                return new DeliveryAttempt.Skipped($"No webhook is configured for the organisation {organisation} (PUT /api/organisations/{organisation} with a webhook).");
            return await Try(() => webhook.Send(target, WebhookSender.Payload(organisation, plan, delivery, deliveryId), ct),
                $"webhook:{organisation}", deliveryId, beforeSending, ct, quoteError: false);
        }

        if (delivery.Channel == NotificationChannel.Push) return await Push(plan, tenantId, delivery, deliveryId, session, beforeSending, ct);

        if (!email.IsConfigured)
            return new DeliveryAttempt.Skipped("E-mail is not configured (Smtp:Host); the notification is in the in-app inbox.");

        string? address, language;
        if (delivery.RecipientUserId is { } userId)
        {
            var user = await session.LoadAsync<UserAccount>(userId, ct);
            (address, language) = (user?.Email, user?.Language ?? "nl");
        }
        else
        {
            var member = plan.Members.FirstOrDefault(m => m.Id == delivery.RecipientMemberId);
            (address, language) = (member?.Email, member?.Language ?? Member.DefaultLanguage);
        }
        if (string.IsNullOrWhiteSpace(address))
            return new DeliveryAttempt.Skipped("No e-mail address is known for this recipient; the notification is in the in-app inbox.");

        var message = NotificationText.Render(plan, delivery, language, baseUrl);
        return await Try(() => email.Send(address, message, deliveryId, ct), address, deliveryId, beforeSending, ct);
    }

    // What an attempt answers when it did not send because the outcomes before it could not be recorded; never recorded.
    private static readonly DeliveryAttempt NotSent = new DeliveryAttempt.Skipped("not sent: the outcomes before it were not recorded");

    /// <summary>The reason a push delivery is skipped when its recipient has no subscription; holds nothing of the case.</summary>
    public const string NoPushSubscription = "No push subscription is known for this recipient; the notification is in the in-app inbox.";

    /// <summary>
    /// A push delivery goes to every current subscription of its recipient, and counts as sent when at least one push
    /// service accepted it (the person was reached: a retry would repeat it on that phone). A subscription the push
    /// service says is gone (404, 410) is deleted and recorded as <see cref="PushSubscriptionGone"/>; when every one was
    /// gone, the delivery is refused for good. Otherwise the first other failure decides (DeliveryPolicy: 429 and 5xx
    /// are tried again). Events and logs name the status code, never the endpoint.
    /// </summary>
    private async Task<DeliveryAttempt> Push(Plan plan, string tenantId, Delivery delivery, string deliveryId, IQuerySession session, Func<Task<bool>> beforeSending, CancellationToken ct)
    {
        var owner = PushOwner.Of(plan, delivery);
        var subscriptions = await session.Query<PushSubscriptionDocument>().Where(s => s.Owner == owner).OrderBy(s => s.Id).ToListAsync(ct);
        if (subscriptions.Count == 0) return new DeliveryAttempt.Skipped(NoPushSubscription);
        if (!await beforeSending()) return NotSent;

        // A member's messages are in the member's language (MemberAdded.language); a professional's in their account's.
        var personLanguage = delivery.RecipientUserId is { } userId
            ? (await session.LoadAsync<UserAccount>(userId, ct))?.Language
            : plan.Members.FirstOrDefault(m => m.Id == delivery.RecipientMemberId)?.Language;
        var url = delivery.RecipientUserId is null ? PersonalLinks.PersonalLinkSignIn.MemberPage : $"/plans/{plan.Id}";
        var (sent, gone) = (0, new List<(PushSubscriptionDocument Subscription, DeliveryFailure Failure)>());
        DeliveryFailure? other = null;
        foreach (var subscription in subscriptions)
        {
            var title = NotificationText.Render(plan, delivery, personLanguage ?? subscription.Language, appAddress.BaseUrl).Subject;
            try
            {
                await push.Send(subscription, new PushPayload(delivery.Subject, title, url, PushSender.Topic(deliveryId)), ct);
                sent++;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var failure = PushSender.Classify(e);
                // The exception's type, not its words: those can quote the endpoint, a capability URL.
                logger.LogWarning("Push delivery {Delivery} failed ({Failure}, {Kind}, {Error})", deliveryId, failure.Code, e.GetType().Name,
                    PushSender.IsGone(e) ? "subscription gone" : failure.Permanent ? "permanent" : "temporary");
                if (PushSender.IsGone(e)) gone.Add((subscription, failure));
                else other ??= failure;
            }
        }
        if (gone.Count > 0)
        {
            // The plan's event first: until it is appended the subscription stays, so a run that fails in between finds it
            // gone again next time, and reachability never keeps a subscription the documents no longer have.
            if (delivery.RecipientMemberId is { } memberId)
                foreach (var (subscription, failure) in gone)
                {
                    var ended = await plans.Decide(plan.Id, Dispatcher with { Organisation = Organisations.Tenants.Organisation(tenantId) }, "PushSubscriptionGone",
                        (current, at) => MemberPush.Ended(current, memberId, PushOwner.HashOf(subscription.Id), PushEndReason.Gone, failure.Code, at),
                        CancellationToken.None);
                    if (ended.Rejection is { } refused) throw new InvalidOperationException($"A gone push subscription could not be recorded: {refused.Detail.En}");
                }
            await using var write = store.LightweightSession(tenantId);
            foreach (var (subscription, failure) in gone)
            {
                write.Delete(subscription);
                write.Store(new PushSubscriptionGone { Id = subscription.Id, Owner = owner, Failure = failure.Code, GoneAt = clock.GetUtcNow() });
            }
            await write.SaveChangesAsync(CancellationToken.None);
        }
        if (sent > 0) return new DeliveryAttempt.Sent($"push:{sent}");
        var decisive = other ?? gone[0].Failure with { Permanent = true };
        return new DeliveryAttempt.Failed(decisive, $"The push service answered {decisive.Code}.");
    }

    /// <param name="address">what the events record as where it went</param>
    /// <param name="quoteError">
    /// whether the sender's own words are kept and logged; not for webhooks, whose errors can quote the URL
    /// (its host, or the whole address): those record the failure's code alone
    /// </param>
    private async Task<DeliveryAttempt> Try(Func<Task> send, string address, string deliveryId, Func<Task<bool>> beforeSending, CancellationToken ct, bool quoteError = true)
    {
        if (!await beforeSending()) return NotSent;
        try
        {
            await send();
            return new DeliveryAttempt.Sent(address);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A sender's own timeout is an OperationCanceledException too: only our own cancellation (shutdown) is not an outcome.
            var failure = DeliveryPolicy.Classify(e);
            var error = quoteError ? e.Message : $"The webhook of {address["webhook:".Length..]} failed: {failure.Code}.";
            logger.LogWarning("Delivery {Delivery} failed ({Failure}, {Kind}): {Error}", deliveryId, failure.Code,
                failure.Permanent ? "permanent" : "temporary", error);
            return new DeliveryAttempt.Failed(failure, error);
        }
    }
}
