using Hangfire;
using SafetyPlan.Notifications;

namespace SafetyPlan.Scheduling;

/// <summary>
/// Handles every deadline whose time has come: reads only plans whose indexed next deadline is due (its cost grows with
/// the work due, not with the number of plans), appends what time passing means through <see cref="Sweep"/>, then
/// delivers the notifications that were due before it ran: the safety net under the delivery queue
/// (<see cref="DeliverNotifications"/>), also for deliveries queued before it existed. What the sweep queues itself is
/// delivered beside it, by that queue (enrolled in the same transaction), so that a minute with thousands of reminders
/// never holds up the next minute's missed check-ins. Run every 15 seconds by Hangfire (Scheduling:SweepCron, see
/// Scheduling/ConfigureScheduling.cs); the manual clock runs <see cref="RunAndDeliver"/>, which also delivers what it queued
/// before it answers.
/// </summary>
public sealed class DeadlineSweep(IDocumentStore store, PlanStreams plans, NotificationDispatcher dispatcher, TimeProvider clock, ILogger<DeadlineSweep> logger)
{
    public const string JobId = "deadline-sweep";
    private const int BatchSize = 200;
    private const int PlansAtOnce = 4;
    private const int PlansPerTransaction = 50;

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)] // the next scheduled run is the retry
    public Task<int> Run(CancellationToken ct) => Run(Sweep.Decide, ct, deliverWhatItQueues: false);

    /// <summary>
    /// The sweep of the manual clock (Clock/ClockEndpoint.cs): also delivers what it queued before it returns, so that the
    /// clock's answer reflects every message that became due (tests and demos). Returns the number of events appended.
    /// </summary>
    public Task<int> RunAndDeliver(CancellationToken ct) => Run(Sweep.Decide, ct);

    /// <param name="decide">what time passing does to a plan, given the organisation's duty professional: <see cref="Sweep.Decide"/> (tests pass one that also changes a plan at the same moment)</param>
    /// <param name="dutyOf">the organisation's duty professional by tenant: <see cref="PlanStreams.DutyOf(string, CancellationToken)"/> (tests pass one that fails)</param>
    /// <param name="deliverWhatItQueues">whether the sweep also delivers the notifications its own decisions queued (the manual clock), or leaves them to the delivery queue (Hangfire's run)</param>
    internal async Task<int> Run(Func<Plan?, DateTimeOffset, string?, Decision<SweepResult>> decide, CancellationToken ct,
        Func<string, CancellationToken, Task<string?>>? dutyOf = null, bool deliverWhatItQueues = true)
    {
        dutyOf ??= plans.DutyOf;
        var now = clock.GetUtcNow();
        var handled = new HashSet<(Guid, string)>();
        var events = 0;
        var failed = 0;
        while (true)
        {
            await using var session = store.QuerySession();
            // Every organisation's plans: time passes for all of them; each plan is then handled in its own organisation.
            var due = await session.Query<Plan>()
                .Where(p => p.AnyTenant() && p.NextDeadlineAt != null && p.NextDeadlineAt <= now)
                .OrderBy(p => p.NextDeadlineAt)
                .Select(p => new DuePlan { Id = p.Id, TenantId = p.TenantId })
                .Take(BatchSize + handled.Count)
                .ToListAsync(ct);
            var batch = due.Select(p => (p.Id, p.TenantId!)).Where(handled.Add).ToList();
            if (batch.Count == 0) break;

            // Several plans of one organisation per transaction (one round trip for many appends), a few such batches
            // at a time (README, Performance). A batch that cannot be stored as a whole is taken plan by plan, so that
            // one plan never holds up the alarms of the others.
            var batches = batch.GroupBy(p => p.Item2).SelectMany(organisation => organisation.Select(p => p.Item1).Chunk(PlansPerTransaction).Select(ids => (Tenant: organisation.Key, Ids: ids)));
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = PlansAtOnce, CancellationToken = ct }, async (plansOfOneOrganisation, token) =>
            {
                var (tenantId, ids) = plansOfOneOrganisation;
                var scheduler = PlanStreams.Scheduler with { Organisation = Organisations.Tenants.Organisation(tenantId) };
                var toDeliver = new System.Collections.Concurrent.ConcurrentDictionary<Guid, bool>();
                Func<Plan?, DateTimeOffset, Decision<SweepResult>> DecideAndNoteDeliveries(string? duty) => (plan, at) =>
                {
                    var decision = decide(plan, at, duty);
                    if (plan is not null && HasDeliveriesDue(plan, decision, at, deliverWhatItQueues)) toDeliver[plan.Id] = true;
                    return decision;
                };
                void Refused(Guid planId, Rejection rejection)
                {
                    // The rejection's text may name the case: only its kind is logged.
                    Interlocked.Increment(ref failed);
                    logger.LogError("Sweeping plan {PlanId} was refused ({Kind}); it stays due", planId, rejection.Kind);
                }

                // The duty professional is read once for the batch; when that fails, each plan reads it in its own try
                // below, so that a lookup that throws never holds up the alarms of the other plans.
                var (duty, dutyRead) = await TryDutyOf(dutyOf, tenantId, ids.Length, token);
                var outcome = dutyRead
                    ? await DecideTogether(ids, scheduler, DecideAndNoteDeliveries(duty), token)
                    : new ManyDecisions<SweepResult>(new Dictionary<Guid, Decision<SweepResult>>(), ids);
                Interlocked.Add(ref events, outcome.Decided.Values.Sum(d => d.Events.Count));
                foreach (var (planId, decided) in outcome.Decided)
                    if (decided.Rejection is { } rejection) Refused(planId, rejection);
                foreach (var planId in outcome.Undecided)
                {
                    try
                    {
                        var planDuty = dutyRead ? duty : await dutyOf(tenantId, token);
                        var decision = await plans.Decide(planId, scheduler, nameof(Sweep), DecideAndNoteDeliveries(planDuty), token);
                        Interlocked.Add(ref events, decision.Events.Count);
                        // For example still changed concurrently after every attempt: nothing appended, so still due.
                        if (decision.Rejection is { } rejection) Refused(planId, rejection);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One plan that cannot be swept must not hold up the alarms of all the others; it stays due and is
                        // tried again by the next run.
                        Interlocked.Increment(ref failed);
                        logger.LogError(e, "Sweeping plan {PlanId} failed; it stays due", planId);
                    }
                }
                foreach (var planId in toDeliver.Keys)
                {
                    try
                    {
                        await dispatcher.DeliverDue(planId, tenantId, token, waitForOtherDeliverer: deliverWhatItQueues);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Delivering the notifications of plan {PlanId} failed; the next run tries again", planId);
                    }
                }
            });
        }
        if (events > 0 || failed > 0)
            logger.LogInformation("Deadline sweep at {Now}: {Plans} plan(s), {Events} event(s), {Failed} failed", now, handled.Count, events, failed);
        return events;
    }

    /// <summary>The organisation's duty professional, and whether it could be read (else each plan tries on its own).</summary>
    private async Task<(string? Duty, bool Read)> TryDutyOf(Func<string, CancellationToken, Task<string?>> dutyOf, string tenantId, int plans, CancellationToken ct)
    {
        try
        {
            return (await dutyOf(tenantId, ct), true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Reading the duty professional of {Organisation} for {Plans} plan(s) failed; each is swept on its own", tenantId, plans);
            return (null, false);
        }
    }

    private async Task<ManyDecisions<SweepResult>> DecideTogether(
        Guid[] ids, Caller scheduler, Func<Plan?, DateTimeOffset, Decision<SweepResult>> decide, CancellationToken ct)
    {
        try
        {
            return await plans.DecideMany(ids, scheduler, nameof(Sweep), decide, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // For example a plan document that can no longer be read: each plan is then taken on its own.
            logger.LogWarning(e, "Sweeping {Plans} plan(s) together failed; each is swept on its own", ids.Length);
            return new ManyDecisions<SweepResult>(new Dictionary<Guid, Decision<SweepResult>>(), ids);
        }
    }

    /// <summary>
    /// How long the delivery queue has to deliver on its own before Hangfire's sweep, the safety net, delivers for it: its
    /// message is handled within seconds, so a delivery still queued this long after its time lost its message (a node
    /// died before the outbox sent it, or Wolverine gave up on it).
    /// </summary>
    public static readonly TimeSpan SafetyNetAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the sweep visits the plan's dispatcher after this decision. The manual clock's (<paramref name="whatItQueued"/>):
    /// a notification the decision queued, or one queued earlier whose next attempt has come. Hangfire's: only one whose
    /// next attempt is <see cref="SafetyNetAfter"/> past, which the queue has not delivered.
    /// </summary>
    internal static bool HasDeliveriesDue(Plan plan, Decision<SweepResult> decision, DateTimeOffset at, bool whatItQueued) =>
        (whatItQueued && decision.Events.Any(e => e is NotificationQueued))
        || plan.Deliveries.Values.Any(d => d.Status == DeliveryStatus.Queued && d.NextAttemptAt <= (whatItQueued ? at : at - SafetyNetAfter));
}

/// <summary>A plan whose next deadline has come, and the organisation (tenant) it belongs to.</summary>
public sealed class DuePlan
{
    public Guid Id { get; set; }
    public string? TenantId { get; set; }
}
