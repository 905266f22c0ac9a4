using Hangfire;
using Marten;
using SafetyPlan.Auth;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;

namespace SafetyPlan.Scheduling;

/// <summary>
/// Handles every deadline whose time has come: reads only plans whose indexed next deadline is due (its cost grows with
/// the work due, not with the number of plans), appends what time passing means through <see cref="Sweep"/>, then
/// delivers the notifications that are due. Run every minute by Hangfire, and by the manual clock before it answers.
/// </summary>
public sealed class DeadlineSweep(IDocumentStore store, PlanStreams plans, NotificationDispatcher dispatcher, TimeProvider clock, ILogger<DeadlineSweep> logger)
{
    public const string JobId = "deadline-sweep";
    private const int BatchSize = 200;
    private const int PlansAtOnce = 4;
    private static readonly Caller Scheduler = Caller.System("scheduler");

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)] // the next minute's run is the retry
    public async Task<int> Run(CancellationToken ct)
    {
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

            // Plans are independent (each is decided under its own gate and version), so a few at a time: a plan's
            // round trips to PostgreSQL no longer wait for the previous plan's (README, Performance).
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = PlansAtOnce, CancellationToken = ct }, async (due, token) =>
            {
                var (planId, tenantId) = due;
                try
                {
                    var scheduler = Scheduler with { Organisation = Organisations.Tenants.Organisation(tenantId) };
                    var decision = await plans.Decide(planId, scheduler, nameof(Sweep), (plan, at) => Sweep.Decide(plan, at), token);
                    Interlocked.Add(ref events, decision.Events.Count);
                    await dispatcher.DeliverDue(planId, tenantId, token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One plan that cannot be swept must not hold up the alarms of all the others; it stays due and is
                    // tried again by the next run.
                    Interlocked.Increment(ref failed);
                    logger.LogError(e, "Sweeping plan {PlanId} failed; it stays due", planId);
                }
            });
        }
        if (events > 0 || failed > 0)
            logger.LogInformation("Deadline sweep at {Now}: {Plans} plan(s), {Events} event(s), {Failed} failed", now, handled.Count, events, failed);
        return events;
    }
}

/// <summary>A plan whose next deadline has come, and the organisation (tenant) it belongs to.</summary>
public sealed class DuePlan
{
    public Guid Id { get; set; }
    public string? TenantId { get; set; }
}
