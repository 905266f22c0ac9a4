using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using SafetyPlan.Audit;
using SafetyPlan.Hosting;

namespace SafetyPlan.Plans;

/// <summary>
/// The one way events reach a plan's stream: load the plan, decide, append, commit. Reports on one plan are
/// serialised in this process (so 50 people reporting at once queue instead of colliding), and a version conflict
/// with another node is retried with the fresh state, so every accepted report is appended exactly once.
/// </summary>
public sealed partial class PlanStreams(IDocumentStore store, TimeProvider clock, Wolverine.Runtime.IWolverineRuntime messaging, ILogger<PlanStreams> logger)
{
    private const int MaxAttempts = 8;
    private static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Decides <paramref name="decide"/> on the plan as it stands now and appends its events. Whatever time passing made due
    /// before now (missed check-ins, escalation deadlines: <see cref="Scheduling.Sweep"/>) is appended first, by the
    /// scheduler, so that a command is never decided on a plan the sweep has not caught up with yet (a late report is
    /// then late, and never erases the missed check-in it came after), however late the sweep runs.
    /// <paramref name="ownAccess"/>: <paramref name="decide"/> says itself who may (<see cref="IDecidesItsOwnAccess"/>).
    /// </summary>
    public async Task<Decision<T>> Decide<T>(
        Guid planId, Caller caller, string cause, Func<Plan?, DateTimeOffset, Decision<T>> decide, CancellationToken cancellationToken,
        bool ownAccess = false)
    {
        var gate = Gates[(planId.GetHashCode() & int.MaxValue) % Gates.Length];
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var session = OpenSession(caller, cause);
                var stream = await session.Events.FetchForWriting<Plan>(planId, cancellationToken);
                switch (Standing(stream))
                {
                    case DocumentStanding.Behind: return BeingRebuilt;
                    case DocumentStanding.Ahead when attempt < MaxAttempts: continue; // appended between Marten's two reads: read again
                }
                if (!ownAccess && stream.Aggregate is { } current && await caller.MayChange(current, session, cancellationToken) is { } refused) return refused;
                var now = clock.GetUtcNow();
                if (cause != nameof(Scheduling.Sweep) && stream.Aggregate is { } plan && Scheduling.Sweep.HasWorkDue(plan, now))
                {
                    await CatchUp(planId, session.TenantId, now, cancellationToken);
                    continue;
                }
                var decision = decide(stream.Aggregate, now);
                if (!decision.Accepted || decision.Events.Count == 0) return decision;

                var previous = KeptHead(stream) ?? await ChainHead(planId, session.TenantId, stream.CurrentVersion!.Value, cancellationToken);
                stream.AppendMany(Seal(session, planId, stream.CurrentVersion ?? 0, previous, decision.Events).ToArray());
                await EnrolDeliveries(session, planId, decision.Events, now);
                Notifications.PushSubscriptionEndpoints.ForgetLeavers(session, planId, decision.Events);
                try
                {
                    await session.SaveChangesAsync(cancellationToken);
                    return decision;
                }
                catch (Exception e) when (IsVersionConflict(e))
                {
                    if (attempt == MaxAttempts)
                        return Rejection.Conflict("The plan was changed by someone else at the same moment; please try again.",
                            "Het plan werd op hetzelfde moment door iemand anders gewijzigd; probeer het opnieuw.");
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

    /// <summary>Appends what time passing made due by <paramref name="now"/>, as the scheduler; a concurrent change wins and is caught up with on the next attempt.</summary>
    private async Task CatchUp(Guid planId, string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = OpenSession(Scheduler with { Organisation = Organisations.Tenants.Organisation(tenantId) }, nameof(Scheduling.Sweep));
        var stream = await session.Events.FetchForWriting<Plan>(planId, cancellationToken);
        if (Standing(stream) != DocumentStanding.Whole) return;
        var passing = Scheduling.Sweep.Decide(stream.Aggregate, now, await DutyOf(session, cancellationToken));
        if (passing.Events.Count == 0) return;
        var previous = KeptHead(stream) ?? await ChainHead(planId, session.TenantId, stream.CurrentVersion!.Value, cancellationToken);
        stream.AppendMany(Seal(session, planId, stream.CurrentVersion ?? 0, previous, passing.Events).ToArray());
        await EnrolDeliveries(session, planId, passing.Events, now);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (IsVersionConflict(e))
        {
            logger.LogDebug("Plan {PlanId} changed while catching up with time; deciding again", planId);
        }
    }

    /// <summary>
    /// Enrols the delivery of what <paramref name="events"/> queue in the session's transaction (Wolverine's Marten
    /// outbox): a <see cref="Notifications.DeliverNotifications"/> now when a notification is queued, and one at a temporary
    /// failure's next attempt (<see cref="Notifications.DeliveryPolicy.NextAttempt"/>). Committed with the events or not at
    /// all; handled once the commit succeeded. The times are the application clock's, waited for as real time.
    /// </summary>
    private async Task EnrolDeliveries(IDocumentSession session, Guid planId, IReadOnlyList<object> events, DateTimeOffset now)
    {
        var queued = events.Any(e => e is NotificationQueued);
        var retries = events.OfType<NotificationFailed>().Select(f => f.NextAttemptAt).ToList();
        if (!queued && retries.Count == 0) return;
        var outbox = new Wolverine.Marten.MartenOutbox(messaging, session);
        var message = new Notifications.DeliverNotifications(planId, session.TenantId);
        if (queued) await outbox.PublishAsync(message);
        if (retries.Count > 0 && retries.Min() - now is var wait && wait > TimeSpan.Zero) await outbox.ScheduleAsync(message, wait);
        else if (retries.Count > 0 && !queued) await outbox.PublishAsync(message);
    }

    /// <summary>
    /// Whether the plan document is the whole stream: its version is the stream's. It is, always, except while an
    /// operator rebuilds the projection (README, "Operating"): a half-rebuilt plan misses later events, and a decision on
    /// it (a delivery it thinks is still queued, a deadline it thinks is still due) would append what the stream already
    /// says otherwise. Nothing is decided on such a plan.
    /// </summary>
    internal static bool IsWholeStream(IEventStream<Plan> stream) => Standing(stream) == DocumentStanding.Whole;

    /// <summary>
    /// Where the fetched plan document stands against the stream's version: <c>Behind</c> (a rebuild has not reached it:
    /// also no document for a stream that has events), <c>Ahead</c> (Marten reads the version and then the document in two
    /// statements, so an append committed in between shows a newer document: read again), or <c>Whole</c>.
    /// </summary>
    internal static DocumentStanding Standing(IEventStream<Plan> stream) => stream.Aggregate switch
    {
        null => stream.CurrentVersion is > 0 ? DocumentStanding.Behind : DocumentStanding.Whole,
        { } plan when plan.Version < stream.CurrentVersion => DocumentStanding.Behind,
        { } plan when plan.Version > stream.CurrentVersion => DocumentStanding.Ahead,
        _ => DocumentStanding.Whole,
    };

    /// <summary>
    /// Whether a plan document read on its own is behind its stream (<see cref="Standing"/>): the stream's version is read
    /// first, so an append after it can only make the document look newer, never behind.
    /// </summary>
    public static async Task<Plan?> LoadWhole(IQuerySession session, Guid planId, CancellationToken ct)
    {
        var version = (await session.Events.FetchStreamStateAsync(planId, ct))?.Version ?? 0;
        var plan = await session.LoadAsync<Plan>(planId, ct);
        return plan is not null && plan.Version >= version ? plan : null;
    }

    internal enum DocumentStanding { Whole, Behind, Ahead }

    internal static readonly Rejection BeingRebuilt = Rejection.Conflict(
        "The plan is being rebuilt from its history; please try again in a moment.",
        "Het plan wordt opnieuw opgebouwd uit zijn geschiedenis; probeer het zo nog eens.");

    /// <summary>Who appends what time passing does to a plan (the sweep, and the catch-up before a command).</summary>
    public static readonly Caller Scheduler = Caller.System("scheduler");

    /// <summary>The organisation's duty professional (<see cref="Organisations.Organisation.DutyUserId"/>) as the sweep reads it: null when none is named.</summary>
    public async Task<string?> DutyOf(string tenantId, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        return await DutyOf(session, ct);
    }

    private static async Task<string?> DutyOf(IQuerySession session, CancellationToken ct) =>
        (await session.LoadAsync<Organisations.Organisation>(Organisations.Tenants.Organisation(session.TenantId), ct))?.DutyUserId is { } duty
        && !string.IsNullOrWhiteSpace(duty) ? duty : null;

    public async Task Start(Guid planId, Caller caller, string cause, IReadOnlyList<object> events, CancellationToken cancellationToken)
    {
        await using var session = OpenSession(caller, cause);
        session.Events.StartStream<Plan>(planId, Seal(session, planId, 0, HashChain.Genesis, events).ToArray());
        await session.SaveChangesAsync(cancellationToken);
    }

    private IDocumentSession OpenSession(Caller caller, string cause)
    {
        // Always the caller's organisation: a plan of another organisation is, to this session, a plan that does not exist.
        var session = store.LightweightSession(Organisations.Tenants.Of(caller));
        session.LastModifiedBy = caller.UserId;
        session.CausationId = cause;
        session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        session.SetHeader("roles", caller.RoleList);
        return session;
    }

    /// <summary>Each new event carries the hash that links it to the one before (see <see cref="HashChain"/>).</summary>
    private IEnumerable<object> Seal(IDocumentSession session, Guid planId, long version, string previous, IEnumerable<object> events)
    {
        var serializer = store.Options.Serializer();
        // Rule 2: the hash covers who appended (docs/security.md, "Tamper evidence"); Marten writes the same user and
        // tenant to the row (user_name, tenant_id), the session's roles and this instant to the headers.
        var who = new HashChain.Appender(session.TenantId, session.LastModifiedBy ?? "", session.GetHeader(HashChain.RolesHeader)?.ToString() ?? "",
            clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        foreach (var data in events)
        {
            var e = session.Events.BuildEvent(data);
            previous = HashChain.Link(previous, planId, ++version, e.EventTypeName, serializer.ToJson(data), who);
            e.SetHeader(HashChain.Header, previous);
            e.SetHeader(HashChain.RuleHeader, HashChain.Rule2);
            e.SetHeader(HashChain.AtHeader, who.At);
            yield return e;
        }
    }

    /// <summary>
    /// The hash the stream's next event links to, when known without a query: the genesis for a new stream, else the head
    /// kept on the plan document if it belongs to the stream's version. Null for a document stored before heads were kept.
    /// </summary>
    private static string? KeptHead(IEventStream<Plan> stream) =>
        stream.CurrentVersion is not > 0 ? HashChain.Genesis
        : stream.Aggregate is { ChainHead: { } head } plan && plan.ChainHeadVersion == stream.CurrentVersion ? head
        : null;

    private async Task<string> ChainHead(Guid planId, string tenantId, long version, CancellationToken ct) =>
        (await ChainHeads(tenantId, [(planId, version)], ct)).GetValueOrDefault(planId) ?? HashChain.Genesis;

    private static bool IsVersionConflict(Exception e) =>
        e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
        || e.InnerException is ConcurrencyException or EventStreamUnexpectedMaxEventIdException;
}
