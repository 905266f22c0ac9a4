using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using JasperFx.Events;
using Marten;
using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Hosting;
using SafetyPlan.Plans;

/// <summary>
/// Large histories written straight into the event store through Marten (the server's own store configuration and
/// inline projections, without HTTP), because 100,000 agreements or 1,000,000 events through the API would take longer
/// than the measurement. Events are the domain's own records; the hash-chain header is left out (nothing here verifies it).
/// </summary>
public sealed class Seeding(WebApplication app) : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(1));

    /// <summary>A time of day on the first day, in the plans' time zone (Amsterdam, winter).</summary>
    public static DateTimeOffset At(double hours) => new(Start.Date.AddHours(hours), Start.Offset);

    public IDocumentStore Store { get; } = app.Services.GetRequiredService<IDocumentStore>();

    /// <summary>The server's composition (never started): its Marten store on this database, with the schema applied.</summary>
    public static async Task<Seeding> Open(string connectionString)
    {
        var app = SafetyPlanServer.Build([$"--ConnectionStrings:Postgres={connectionString}", "--Demo:Seed=false", "--Auth:Mode=Development", "--App:BaseUrl=http://localhost", "--Logging:LogLevel:Default=Warning"]);
        var seeding = new Seeding(app);
        await seeding.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return seeding;
    }

    /// <summary>
    /// Active plans of five daily agreements each. The first agreement of the first <paramref name="dueAgreements"/> plans
    /// falls at 15:00 with an hour's grace, of the next <paramref name="dueAgreements"/> at 16:00, and so on for
    /// <paramref name="rounds"/> hours; all others at 22:00: sweeps at 16:30, 17:30, … on the first day each find exactly
    /// <paramref name="dueAgreements"/> due. The first agreement of the next <paramref name="warmUpAgreements"/> plans
    /// falls at 14:00, for a sweep at 15:30. Reminders are off, as in the national seed: with them on, each sweep also
    /// queued and delivered the reminders of the next hour's agreements (1,000 plans more: ~6 s of the first sweeps).
    /// </summary>
    /// <param name="reminders">whether the member (with an e-mail address) is reminded before each occurrence (row 5r) or has reminders off (row 5)</param>
    public async Task ActivePlans(int agreements, int dueAgreements, int warmUpAgreements = 0, int rounds = 1, bool reminders = false)
    {
        var plans = agreements / 5;
        // With reminders, two more hours of due agreements: each round's sweep then also reminds the hour after it.
        var hours = reminders ? rounds + 2 : rounds;
        if (dueAgreements * hours + warmUpAgreements > plans)
            throw new ArgumentException($"{plans} plans cannot hold {hours} hours of {dueAgreements} due agreements and {warmUpAgreements} to warm up.");
        TimeOnly FirstAt(int plan) => plan < dueAgreements * hours ? new TimeOnly(15 + plan / dueAgreements, 0)
            : plan < dueAgreements * hours + warmUpAgreements ? new TimeOnly(14, 0) : new TimeOnly(22, 0);
        await Write(Enumerable.Range(0, plans), 250, (session, i) =>
        {
            var planId = Guid.NewGuid();
            var member = Guid.NewGuid();
            var events = new List<object>
            {
                new PlanDrafted(planId, $"Bench {i}", "F", "bench", null, "Europe/Amsterdam", Start),
                new MemberAdded(member, "Oma", MemberRole.Network, reminders ? $"oma{i}@bench.test" : null, null, Start, Reminders: reminders),
            };
            for (var a = 0; a < 5; a++)
                events.Add(new AgreementMade(Guid.NewGuid(), "Ophalen", member, null,
                    new Schedule(Daily: a == 0 ? FirstAt(i) : new TimeOnly(22, 0)), TimeSpan.FromHours(1), Start));
            events.Add(new PlanAgreed(new DateOnly(2027, 6, 1), Start));
            session.Events.StartStream<Plan>(planId, events.ToArray());
            return events.Count;
        });
        await Analyze();
    }

    /// <summary>
    /// PostgreSQL's statistics of the freshly written tables, as autovacuum keeps them in a running database: without them
    /// the first queries after seeding are planned blind.
    /// </summary>
    public async Task Analyze()
    {
        await using var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var analyze = new Npgsql.NpgsqlCommand("analyze", connection) { CommandTimeout = 600 };
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// <paramref name="total"/> events in plans of 500: a year of daily check-ins and weekly ratings, and every 50 days a
    /// not-kept check-in that crosses a bottom line, raises an escalation, e-mails the monitor and is resolved.
    /// </summary>
    public async Task Histories(int total)
    {
        const int perPlan = 500;
        await Write(Enumerable.Range(0, Math.Max(1, total / perPlan)), 20, (session, i) =>
        {
            var planId = Guid.NewGuid();
            session.Events.StartStream<Plan>(planId, History(perPlan, planId).ToArray());
            return perPlan;
        });
    }

    /// <summary>One plan with a history of <paramref name="events"/> events (as in <see cref="Histories"/>), monitored by "bench".</summary>
    public async Task<Guid> OnePlan(int events)
    {
        var planId = Guid.NewGuid();
        await using var session = Store.LightweightSession();
        session.Events.StartStream<Plan>(planId, History(events, planId).ToArray());
        await session.SaveChangesAsync();
        return planId;
    }

    private static IEnumerable<object> History(int count, Guid? id = null)
    {
        var planId = id ?? Guid.NewGuid();
        var member = Guid.NewGuid();
        var agreement = Guid.NewGuid();
        var bottomLine = Guid.NewGuid();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var events = new List<object>
        {
            new PlanDrafted(planId, "Bench", "F", "bench", null, "Europe/Amsterdam", Start),
            new MemberAdded(member, "Oma", MemberRole.Network, null, null, Start),
            new AgreementMade(agreement, "Ophalen", member, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(1), Start),
            new BottomLineSet(bottomLine, "Niet opgehaald", new BottomLineRule(RuleKind.AnyBreach, agreement), TimeSpan.FromHours(4), Start),
            new PlanAgreed(new DateOnly(2099, 1, 1), Start),
        };
        for (var day = 0; events.Count < count; day++)
        {
            var occurrence = Schedule.ToInstant(Start.Date.AddDays(day).AddHours(15), zone);
            var at = occurrence.AddMinutes(10);
            var checkIn = Guid.NewGuid();
            if (day % 50 == 49)
            {
                var breach = Guid.NewGuid();
                var escalation = Guid.NewGuid();
                var key = $"escalationraised:{escalation}:bench:email";
                events.Add(new CheckInLogged(checkIn, $"c{day}", agreement, member, CheckInOutcome.NotKept, "ziek", occurrence, at));
                events.Add(new BreachRecorded(breach, BreachKind.NotKept, agreement, checkIn, null, at));
                events.Add(new BottomLineCrossed(bottomLine, breach, "any breach", at));
                events.Add(new EscalationRaised(escalation, bottomLine, "Bench", "Niet opgehaald", "any breach", "bench", null, at.AddHours(4), at));
                events.Add(new NotificationQueued(key, NotificationSubject.EscalationRaised, escalation.ToString(), "bench", null, NotificationChannel.Email, at));
                events.Add(new NotificationSent(key, "bench@jeugdzorg.test", at));
                events.Add(new EscalationAcknowledged(escalation, "bench", null, at.AddHours(1)));
                events.Add(new EscalationResolved(escalation, "bench", "opgelost", at.AddHours(2)));
            }
            else
            {
                events.Add(new CheckInLogged(checkIn, $"c{day}", agreement, member, CheckInOutcome.Kept, null, occurrence, at));
            }
            if (day % 7 == 6) events.Add(new SafetyRated(Guid.NewGuid(), $"r{day}", member, 7, null, at));
        }
        return events.Take(count);
    }

    /// <summary>
    /// Waits (up to ten minutes) until the server's asynchronous projection (the daily statistics) has caught up with every
    /// event in the store: seeded events are new to it, and a server working through them in the background would be
    /// measured along with whatever the benchmark times (the replay of row 6 took 24 ms instead of 16 ms while it did).
    /// A running server is caught up as in production. Throws when it does not catch up.
    /// </summary>
    public static async Task AsyncProjectionsCaughtUp(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var until = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            await using var behind = new Npgsql.NpgsqlCommand(
                "select coalesce((select max(seq_id) from safetyplan.mt_events), 0) - coalesce((select min(last_seq_id) from safetyplan.mt_event_progression where name not like 'HighWater%'), 0)", connection);
            var events = (long)(await behind.ExecuteScalarAsync())!;
            if (events <= 0) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The asynchronous projections are still {events:N0} events behind.");
            await Task.Delay(200);
        }
    }

    private async Task Write(IEnumerable<int> items, int perSession, Func<IDocumentSession, int, int> add)
    {
        await Parallel.ForEachAsync(items.Chunk(perSession), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
        {
            await using var session = Store.LightweightSession();
            foreach (var i in chunk) add(session, i);
            await session.SaveChangesAsync(ct);
        });
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
