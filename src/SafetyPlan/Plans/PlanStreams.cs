using Marten;
using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;

namespace SafetyPlan.Plans;

/// <summary>
/// The one way events reach a plan's stream: load the plan, decide, append, commit. Reports on one plan are
/// serialised in this process (so 50 people reporting at once queue instead of colliding), and a version conflict
/// with another node is retried with the fresh state, so every accepted report is appended exactly once.
/// </summary>
public sealed class PlanStreams(IDocumentStore store, TimeProvider clock, Notifications.DeliverySignal deliveries, ILogger<PlanStreams> logger)
{
    private const int MaxAttempts = 8;
    private static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<Decision<T>> Decide<T>(
        Guid planId, Caller caller, string cause, Func<Plan?, DateTimeOffset, Decision<T>> decide, CancellationToken cancellationToken)
    {
        var gate = Gates[(planId.GetHashCode() & int.MaxValue) % Gates.Length];
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var session = OpenSession(caller, cause);
                var stream = await session.Events.FetchForWriting<Plan>(planId, cancellationToken);
                var decision = decide(stream.Aggregate, clock.GetUtcNow());
                if (!decision.Accepted || decision.Events.Count == 0) return decision;

                stream.AppendMany(decision.Events);
                try
                {
                    await session.SaveChangesAsync(cancellationToken);
                    if (decision.Events.Any(e => e is NotificationQueued)) deliveries.Raise(planId);
                    return decision;
                }
                catch (Exception e) when (IsVersionConflict(e) && attempt < MaxAttempts)
                {
                    logger.LogDebug("Plan {PlanId} changed concurrently; deciding again (attempt {Attempt})", planId, attempt);
                    await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task Start(Guid planId, Caller caller, string cause, IReadOnlyList<object> events, CancellationToken cancellationToken)
    {
        await using var session = OpenSession(caller, cause);
        session.Events.StartStream<Plan>(planId, events);
        await session.SaveChangesAsync(cancellationToken);
    }

    private IDocumentSession OpenSession(Caller caller, string cause)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = caller.UserId;
        session.CausationId = cause;
        session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        session.SetHeader("roles", caller.RoleList);
        return session;
    }

    private static bool IsVersionConflict(Exception e) =>
        e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
        || e.InnerException is ConcurrencyException or EventStreamUnexpectedMaxEventIdException;
}
