using Hangfire;
using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using SafetyPlan.Audit;
using SafetyPlan.Escalations;
using SafetyPlan.Notifications;

namespace SafetyPlan.Privacy;

/// <summary>
/// Masks the personal data of every closed plan whose retention period (<see cref="RetentionPolicy"/>) has passed:
/// verify the original hash chain, mask the events (rules in <see cref="PersonalDataMasking"/>, written with Marten's OverwriteEvent)
/// while sealing each with <c>hash.masked</c>, append <see cref="PersonalDataMasked"/>, and mask the documents
/// (plan snapshot, escalation inbox, notification inbox, members' names in the access log and as actors), all in one
/// transaction: a plan is masked completely or not at all. A masked plan is never due again, so a re-run does nothing.
/// Run daily by Hangfire and by the manual clock before it answers.
/// </summary>
public sealed class RetentionPass(IDocumentStore store, RetentionPolicy policy, TimeProvider clock, ILogger<RetentionPass> logger)
{
    public const string JobId = "privacy-retention";
    /// <summary>The actor of <see cref="PersonalDataMasked"/> (user name and header).</summary>
    public const string Actor = "privacy-retention";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)] // the next run is the retry
    public async Task<int> Run(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var closedBy = policy.ClosedNoLaterThan(now);
        IReadOnlyList<Scheduling.DuePlan> due;
        await using (var query = store.QuerySession())
        {
            // Every organisation's plans; each is then masked in a session of its own organisation.
            due = await query.Query<Plan>()
                // A plan document from before ClosedAt existed has none: it is judged by its closing evaluation below.
                .Where(p => p.AnyTenant() && p.State == PlanState.Closed && p.PersonalDataMaskedAt == null && (p.ClosedAt == null || p.ClosedAt <= closedBy))
                .Select(p => new Scheduling.DuePlan { Id = p.Id, TenantId = p.TenantId })
                .ToListAsync(ct);
        }

        var masked = 0;
        foreach (var (planId, tenantId) in due.Select(p => (p.Id, p.TenantId!)))
        {
            try
            {
                if (await Mask(planId, tenantId, now, ct)) masked++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One plan that cannot be masked now (changed at the same moment, database trouble) stays due for the next run.
                logger.LogError(e, "Masking the personal data of plan {PlanId} failed; it stays due", planId);
            }
        }
        if (masked > 0) logger.LogInformation("Retention pass at {Now}: personal data of {Plans} plan(s) masked ({Policy})", now, masked, policy.Describe());
        return masked;
    }

    private async Task<bool> Mask(Guid planId, string tenantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenantId);
        session.LastModifiedBy = Actor;
        session.CausationId = nameof(RetentionPass);
        session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        session.SetHeader("roles", "system");

        var stream = await session.Events.FetchForWriting<Plan>(planId, ct);
        var plan = stream.Aggregate;
        if (!PlanStreams.IsWholeStream(stream) || plan is not { State: PlanState.Closed, PersonalDataMaskedAt: null }
            || (plan.ClosedAt ?? plan.Evaluations.LastOrDefault(e => e.Outcome == EvaluationOutcome.Close)?.At) is not { } closedAt
            || policy.ExpiresAt(closedAt) > now)
            return false;
        var version = stream.CurrentVersion ?? 0;

        // Masking destroys what the original chain covers: prove it intact first, or leave the evidence untouched.
        var links = await VerifyChain.Read(store, tenantId, planId, ct);
        var check = MaskedChain.Check(planId, links);
        if (!check.Intact || check.Masking is not null || links.Count != version)
        {
            logger.LogError("Plan {PlanId} is due for masking but its hash chain is not intact (first broken version {Version}); not masked",
                planId, check.FirstBrokenVersion);
            return false;
        }

        var serializer = store.Options.Serializer();
        var events = await session.Events.FetchStreamAsync(planId, version, token: ct);
        var maskedHead = HashChain.Genesis;
        foreach (var stored in events.OrderBy(e => e.Version))
        {
            // Marten's OverwriteEvent rewrites the row's data and headers in place (same sequence, version and type).
            var masked = session.Events.BuildEvent(PersonalDataMasking.Apply(stored.Data));
            (masked.Sequence, masked.Version, masked.TenantId) = (stored.Sequence, stored.Version, stored.TenantId);
            masked.Headers = stored.Headers is null ? [] : new Dictionary<string, object>(stored.Headers);
            maskedHead = HashChain.Link(maskedHead, planId, stored.Version, links[(int)stored.Version - 1].Type, serializer.ToJson(masked.Data));
            masked.SetHeader(HashChain.MaskedHeader, maskedHead);
            // The original hash of masked content would let anyone confirm a guess of it; the record keeps the head.
            masked.Headers.Remove(HashChain.Header);
            session.Events.OverwriteEvent(masked);
        }

        var originalHead = links[^1].Hash!;
        var record = new PersonalDataMasked(policy.Describe(), closedAt, version, originalHead, maskedHead, now);
        var sealedRecord = session.Events.BuildEvent(record);
        sealedRecord.SetHeader(HashChain.Header, HashChain.Link(originalHead, planId, version + 1, sealedRecord.EventTypeName, serializer.ToJson(record)));
        stream.AppendOne(sealedRecord);

        foreach (var view in await session.Query<EscalationView>().Where(v => v.PlanId == planId).ToListAsync(ct))
        {
            PersonalDataMasking.Mask(view);
            session.Store(view);
        }
        foreach (var item in await session.Query<InboxItem>().Where(i => i.PlanId == planId).ToListAsync(ct))
        {
            PersonalDataMasking.Mask(item);
            session.Store(item);
        }
        foreach (var entry in await session.Query<AccessLogEntry>().Where(a => a.PlanId == planId && a.Roles.Contains(Auth.Caller.MemberPrefix)).ToListAsync(ct))
        {
            entry.UserId = PersonalDataMasking.Masked;
            session.Store(entry);
        }
        // Replay snapshots hold the unmasked plan: they go with it (later replays rebuild them from the masked events).
        session.DeleteWhere<PlanReplaySnapshot>(s => s.PlanId == planId);
        // The members' push subscriptions (endpoint and keys: a way to reach their phones) and the record of gone ones.
        var members = Notifications.PushOwner.MembersOf(planId);
        session.DeleteWhere<Notifications.PushSubscriptionDocument>(s => s.Owner.StartsWith(members));
        session.DeleteWhere<Notifications.PushSubscriptionGone>(s => s.Owner.StartsWith(members));
        // A member's sign-in name as the actor of their reports (a column the hash does not cover).
        session.QueueSqlCommand(
            $"update {store.Options.Events.DatabaseSchemaName}.mt_events set user_name = ? where tenant_id = ? and stream_id = ? and version <= ? and headers ->> 'roles' like ?",
            PersonalDataMasking.Masked, tenantId, planId, version, $"%{Auth.Caller.MemberPrefix}%");

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
                                  || e.InnerException is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
        {
            logger.LogInformation("Plan {PlanId} changed while being masked; the next run masks it", planId);
            return false;
        }
        logger.LogInformation("Personal data of plan {PlanId} masked (closed {ClosedAt}, {Policy})", planId, closedAt, policy.Describe());
        return true;
    }
}
