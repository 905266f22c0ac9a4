using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Marten;
using Npgsql;
using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using SafetyPlan.Decisions;
using SafetyPlan.Hosting;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The national size (issue 17 §1, `--national [plans]`): active plans with five agreements and a year of history each,
/// COPYed into Marten's tables in large batches (<see cref="Seed"/>; a sample is checked against Marten's own append by
/// <see cref="ProveIdentical"/>), as the events the real decisions write: a check-in as <c>LogCheckIn</c> writes it, a missed occurrence as the deadline
/// sweep writes it (<c>CheckInMissed</c> + <c>BreachRecorded</c> with the sweep's derived ids), a crossed bottom line as
/// <c>BottomLineCrossings.Cross</c> writes it, and the dispatcher's delivery outcomes.
/// <para>
/// The mix, per plan: agreements daily 07:30 and 17:00, Monday/Wednesday/Friday 19:00, Tuesday/Thursday 18:00 and
/// Sunday 20:00, each an hour's grace; of the occurrences 88% kept, 5% partly kept, 2% not kept, 5% missed; a weekly
/// safety rating; one bottom line, any breach of the weekly agreement, so a not-kept or missed weekly occurrence raises
/// an escalation (e-mail sent, push and webhook skipped for want of a subscription or webhook), acknowledged after
/// 30 minutes and resolved after two hours. Members have reminders off (reminders would add two notifications and their
/// delivery outcomes per occurrence: four to five times the events), the plan's evaluation is due 60 days after "now".
/// Monitors carry 25 plans each; the first 100 plans are monitored by <c>bench-many</c>.
/// </para>
/// </summary>
public static class National
{
    /// <summary>"Now" at national size: Monday 4 January 2027, 08:00 in Amsterdam. The history is the year before.</summary>
    public static readonly DateTimeOffset Now = new(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(1));

    public const int WarmUp = 20;
    public const string ManyMonitor = "bench-many";
    public const int ManyPlans = 100;
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>The minutes (local times on the first day) whose occurrences fall due in the measured sweeps: min(1,000, plans / 10) plans each.</summary>
    public static readonly TimeOnly[] BusyMinutes = [new(15, 0), new(15, 5), new(15, 10)];

    public static string MonitorOf(int plan) => plan < ManyPlans ? ManyMonitor : $"m{plan / 25}";

    /// <summary>The 17:00 agreement's time: 14:00 for the warm-up plans, a busy minute for the due plans, else 17:00.</summary>
    private static TimeOnly AfternoonAt(int plan, int due) =>
        plan < WarmUp ? new TimeOnly(14, 0)
        : plan < WarmUp + due * BusyMinutes.Length ? BusyMinutes[(plan - WarmUp) / due]
        : new TimeOnly(17, 0);

    private static readonly DayOfWeek[] MonWedFri = [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday];
    private static readonly DayOfWeek[] TueThu = [DayOfWeek.Tuesday, DayOfWeek.Thursday];
    private static readonly DayOfWeek[] Sunday = [DayOfWeek.Sunday];

    public sealed record Seeded(List<(BenchPlan Plan, string Monitor)> CheckInPlans, Guid YearPlan, Guid FiveYearPlan, Guid FiveYearRemindedPlan, long Events, TimeSpan Took);

    /// <summary>
    /// Seeds <paramref name="plans"/> plans (and the five-year plan) and returns plans whose 17:00 agreement takes check-ins
    /// at 16:xx. The events are serialised by Marten's own serializer and event mappings and COPYed into <c>mt_events</c>
    /// and <c>mt_streams</c> (as Marten's append writes them, without hash-chain headers), with the plan document as the
    /// inline projection stores it (<c>Plan.Evolve</c> over the events, Marten's serializer) and the report receipts as
    /// their projection inserts them. Not built: the escalation and notification inboxes (inline projections of the few
    /// escalation and notification events; nothing measured here reads them) and the daily statistics (async).
    /// <see cref="ProveIdentical"/> checks a sample against the same plans appended through Marten's event store.
    /// </summary>
    public static async Task<Seeded> Seed(Seeding seeding, string connectionString, int plans, int due)
    {
        var watch = Stopwatch.StartNew();
        var first = WarmUp + due * BusyMinutes.Length;
        var checkIns = new System.Collections.Concurrent.ConcurrentBag<(BenchPlan, string)>();
        var writer = new Copier(seeding.Store, connectionString);
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, plans).Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (chunk, ct) =>
        {
            var streams = new List<(Guid, List<object>)>();
            foreach (var i in chunk)
            {
                var (id, events, member, afternoon) = Year(i, due);
                streams.Add((id, events));
                if (i >= first && i < first + 2_000) checkIns.Add((new BenchPlan(id, member, afternoon), MonitorOf(i)));
            }
            await writer.Write(streams, ct);
            var n = Interlocked.Add(ref done, chunk.Length);
            if (n % 1000 < chunk.Length) Console.WriteLine($"    copied {n:N0} plans, {watch.Elapsed.TotalSeconds:0} s");
        });
        var (fiveYears, reminded) = (Guid.NewGuid(), Guid.NewGuid());
        await writer.Write([(fiveYears, FiveYears(fiveYears)), (reminded, FiveYears(reminded, reminders: true))], CancellationToken.None);
        await writer.Finish();
        var copied = watch.Elapsed;
        // The server's one-off receipts upgrade is done (the receipts were copied), and the daily statistics (an async
        // projection nothing here measures) start after the copied events rather than churning through them during the measurements.
        await using (var session = seeding.Store.LightweightSession())
        {
            session.Store(new SafetyPlan.Reports.ReceiptsFromEvents.DataUpgrade { Id = SafetyPlan.Reports.ReceiptsFromEvents.MarkerId, At = DateTimeOffset.UtcNow });
            await session.SaveChangesAsync();
        }
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var progress = new NpgsqlCommand("insert into safetyplan.mt_event_progression (name, last_seq_id) values ('DailyCompliance:All', @last) on conflict (name) do update set last_seq_id = excluded.last_seq_id", connection);
            progress.Parameters.AddWithValue("last", writer.Events);
            await progress.ExecuteNonQueryAsync();
        }
        await seeding.Analyze();
        watch.Stop();
        return new Seeded(checkIns.ToList(), PlanId(first), fiveYears, reminded, writer.Events, watch.Elapsed);
    }

    /// <summary>
    /// Appends the sample plans' events through Marten's event store (its append and inline projections) into a second
    /// database and compares, plan by plan, the stored plan document, its version and every event row (type, .NET type,
    /// version, JSON) with the copied ones: identical documents give identical answers from every read of the API.
    /// </summary>
    public static async Task<string> ProveIdentical(string adminConnectionString, string nationalConnectionString, int[] sample, int due)
    {
        var twin = await Machine.CreateDatabase(adminConnectionString, "bench_national_twin");
        await using (var seeding = await Seeding.Open(twin))
        {
            await using var session = seeding.Store.LightweightSession();
            foreach (var i in sample)
            {
                var (id, events, _, _) = Year(i, due);
                session.Events.StartStream<Plan>(id, events.ToArray());
            }
            await session.SaveChangesAsync();
        }
        var compared = 0L;
        foreach (var i in sample)
        {
            var id = PlanId(i);
            var (copied, appended) = (await Rows(nationalConnectionString, id), await Rows(twin, id));
            if (copied.Count < 2 || !copied.SequenceEqual(appended))
            {
                await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "national-copied.txt"), copied);
                await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "national-appended.txt"), appended);
                throw new InvalidOperationException($"Plan {i} ({id}) copied differs from the same plan appended through Marten: " +
                    string.Join(" | ", copied.Zip(appended).Where(p => p.First != p.Second).Take(2).Select(p => Difference(p.First, p.Second))) + $" ({copied.Count} and {appended.Count} rows; both in {Path.GetTempPath()}national-*.txt)");
            }
            compared += copied.Count(r => char.IsDigit(r[0]));
        }
        return $"{sample.Length} sample plans, {compared:N0} events, identical to the same plans appended through Marten's event store (plan document, its version, every event's type and JSON, every report receipt)";

        static string Difference(string a, string b)
        {
            var at = 0;
            while (at < a.Length && at < b.Length && a[at] == b[at]) at++;
            var from = Math.Max(0, at - 80);
            return $"copied ...{a[from..Math.Min(a.Length, at + 80)]}... appended ...{b[from..Math.Min(b.Length, at + 80)]}...";
        }

        static async Task<List<string>> Rows(string connectionString, Guid id)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                select 'document ' || data::text from safetyplan.mt_doc_plan where id = @id
                union all select 'version ' || mt_version from safetyplan.mt_doc_plan where id = @id
                union all select * from (select 'receipt ' || id || ' ' || data::text from safetyplan.mt_doc_reportreceipt where data ->> 'planId' = @id::text order by id) r
                union all select * from (select version || ' ' || type || ' ' || mt_dotnet_type || ' ' || data::text from safetyplan.mt_events where stream_id = @id order by version) e
                """, connection);
            command.Parameters.AddWithValue("id", id);
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
            // A UNION ALL has no order of its own: a parallel plan in one database put the receipts after the events.
            rows.Sort(StringComparer.Ordinal);
            return rows;
        }
    }

    /// <summary>COPY of whole streams into Marten's event tables, with Marten's serializer and event type names; sequence numbers handed out here.</summary>
    private sealed class Copier(IDocumentStore store, string connectionString)
    {
        private readonly Marten.Events.EventGraph _events = (Marten.Events.EventGraph)((StoreOptions)store.Options).Events;
        private readonly Marten.ISerializer _serializer = ((StoreOptions)store.Options).Serializer();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (string Name, string DotNet)> _names = new();
        private long _sequence;
        public long Events => Interlocked.Read(ref _sequence);

        public async Task Write(List<(Guid Id, List<object> Events)> streams, CancellationToken ct)
        {
            var count = streams.Sum(s => s.Events.Count);
            var seq = Interlocked.Add(ref _sequence, count) - count;
            var now = DateTime.UtcNow;
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using (var copy = await connection.BeginBinaryImportAsync("copy safetyplan.mt_streams (tenant_id, id, type, version, timestamp, created) from stdin (format binary)", ct))
            {
                foreach (var (id, events) in streams)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync("*DEFAULT*", NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync("plan", NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync((long)events.Count, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                }
                await copy.CompleteAsync(ct);
            }
            await using (var copy = await connection.BeginBinaryImportAsync("copy safetyplan.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) from stdin (format binary)", ct))
            {
                foreach (var (id, events) in streams)
                    for (var v = 0; v < events.Count; v++)
                    {
                        var e = events[v];
                        var (name, dotnet) = _names.GetOrAdd(e.GetType(), t => (_events.EventMappingFor(t).EventTypeName, $"{t.FullName}, {t.Assembly.GetName().Name}"));
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(++seq, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(Guid.NewGuid(), NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync((long)v + 1, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(_serializer.ToJson(e), NpgsqlTypes.NpgsqlDbType.Jsonb, ct);
                        await copy.WriteAsync(name, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                        await copy.WriteAsync("*DEFAULT*", NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(dotnet, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(false, NpgsqlTypes.NpgsqlDbType.Boolean, ct);
                    }
                await copy.CompleteAsync(ct);
            }
            await using (var copy = await connection.BeginBinaryImportAsync("copy safetyplan.mt_doc_plan (tenant_id, id, data, mt_last_modified, mt_dotnet_type, mt_version) from stdin (format binary)", ct))
            {
                foreach (var (id, events) in streams)
                {
                    // What the inline projection stores (Plans/PlanProjection.cs): Plan.Evolve over the events; no chain head without hash headers.
                    var plan = new Plan();
                    foreach (var e in events) plan = Plan.Evolve(plan, e);
                    plan.Version = events.Count; // Marten sets the aggregate's version to its stream's
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync("*DEFAULT*", NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(_serializer.ToJson(plan), NpgsqlTypes.NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(typeof(Plan).FullName!, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync((long)events.Count, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                }
                await copy.CompleteAsync(ct);
            }
            await using (var copy = await connection.BeginBinaryImportAsync("copy safetyplan.mt_doc_reportreceipt (tenant_id, id, data, mt_last_modified, mt_version, mt_dotnet_type) from stdin (format binary)", ct))
            {
                foreach (var (id, events) in streams)
                    foreach (var e in events)
                    {
                        // What ReportReceiptProjection inserts for each report.
                        var receipt = e switch
                        {
                            CheckInLogged c => SafetyPlan.Reports.ReportReceipt.For(id, c.MemberId, c.ClientId, new Receipt(ReportKind.CheckIn, c.CheckInId, c.AgreementId, c.Occurrence, c.Late)),
                            SafetyRated r => SafetyPlan.Reports.ReportReceipt.For(id, r.MemberId, r.ClientId, new Receipt(ReportKind.Rating, r.RatingId, null, null)),
                            _ => null,
                        };
                        if (receipt is null) continue;
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync("*DEFAULT*", NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(receipt.Id, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(_serializer.ToJson(receipt), NpgsqlTypes.NpgsqlDbType.Jsonb, ct);
                        await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                        await copy.WriteAsync(Guid.NewGuid(), NpgsqlTypes.NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(typeof(SafetyPlan.Reports.ReportReceipt).FullName!, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
                    }
                await copy.CompleteAsync(ct);
            }
            await tx.CommitAsync(ct);
        }

        /// <summary>Moves Marten's event sequence past the copied events, so that the next append (and the daemon) continue after them.</summary>
        public async Task Finish()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select setval('safetyplan.mt_events_sequence', @last)", connection);
            command.Parameters.AddWithValue("last", Math.Max(1, Events));
            await command.ExecuteScalarAsync();
        }
    }

    private static Guid PlanId(int i) => new(i, 0x5a, 0x17, [1, 2, 3, 4, 5, 6, 7, 8]);

    /// <summary>One plan's year: drafted and agreed a year and a day before <see cref="Now"/>, every occurrence before it settled.</summary>
    private static (Guid Id, List<object> Events, Guid Member, Guid Afternoon) Year(int i, int due)
    {
        var planId = PlanId(i);
        var random = new Random(i);
        var parent = DerivedId.From(planId, "parent");
        var oma = DerivedId.From(planId, "oma");
        var start = Now.AddDays(-366);
        var agreements = new (Guid Id, Guid Member, Schedule Schedule, string Text)[]
        {
            (DerivedId.From(planId, "a0"), parent, new Schedule(Daily: new TimeOnly(7, 30)), "Brengt de kinderen naar school"),
            (DerivedId.From(planId, "a1"), oma, new Schedule(Daily: AfternoonAt(i, due)), "Haalt de kinderen op"),
            (DerivedId.From(planId, "a2"), parent, new Schedule(Weekly: MonWedFri, At: new TimeOnly(19, 0)), "Belt met de buurvrouw"),
            (DerivedId.From(planId, "a3"), oma, new Schedule(Weekly: TueThu, At: new TimeOnly(18, 0)), "Eet mee"),
            (DerivedId.From(planId, "a4"), parent, new Schedule(Weekly: Sunday, At: new TimeOnly(20, 0)), "Weekgesprek met het netwerk"),
        };
        var monitor = MonitorOf(i);
        var bottomLine = DerivedId.From(planId, "bl");
        var rule = new BottomLineRule(RuleKind.AnyBreach, agreements[4].Id);
        var events = new List<object>
        {
            new PlanDrafted(planId, $"Plan {i}", $"Gezin {i}", monitor, null, "Europe/Amsterdam", start),
            new MemberAdded(parent, "Ouder", MemberRole.Parent, null, null, start, "nl", Reminders: false),
            new MemberAdded(oma, "Oma", MemberRole.Network, null, null, start, "nl", Reminders: false),
        };
        foreach (var a in agreements)
            events.Add(new AgreementMade(a.Id, a.Text, a.Member, null, a.Schedule, Grace, start));
        events.Add(new BottomLineSet(bottomLine, "Het weekgesprek gaat niet door", rule, TimeSpan.FromHours(4), start));
        events.Add(new PlanAgreed(DateOnly.FromDateTime(Now.Date).AddDays(60), start));
        History(events, planId, random, agreements.Select(a => (a.Id, a.Member, a.Schedule)).ToArray(), start, Now, monitor,
            crossOn: agreements[4].Id, bottomLine, rule, "Plan " + i, "Het weekgesprek gaat niet door", ratedBy: parent);
        return (planId, events, oma, agreements[1].Id);
    }

    /// <summary>The five-year plans (reminders off, as row 11, and on) and the year plan of row 11b at 10,000 plans and more, as events (for <see cref="DocumentParts"/>).</summary>
    public static IEnumerable<(string Name, List<object> Events)> DocumentSamples()
    {
        yield return ("five years of five daily agreements", FiveYears(Guid.NewGuid()));
        yield return ("five years of five daily agreements, the member reminded before each occurrence", FiveYears(Guid.NewGuid(), reminders: true));
        yield return ("a year of the national mix", Year(WarmUp + 1_000 * BusyMinutes.Length, 1_000).Events);
    }

    /// <summary>Five daily agreements for five years (with the same outcomes and weekly rating), for the document-size row.</summary>
    private static List<object> FiveYears(Guid planId, bool reminders = false)
    {
        var random = new Random(5);
        var member = DerivedId.From(planId, "parent");
        var start = Now.AddYears(-5);
        var agreements = Enumerable.Range(0, 5)
            .Select(a => (DerivedId.From(planId, $"a{a}"), member, new Schedule(Daily: new TimeOnly(17 + a, 30)))).ToArray();
        var events = new List<object>
        {
            new PlanDrafted(planId, "Vijf jaar", "Gezin", ManyMonitor, null, "Europe/Amsterdam", start),
            new MemberAdded(member, "Ouder", MemberRole.Parent, reminders ? "ouder@gezin.test" : null, null, start, "nl", Reminders: reminders),
        };
        foreach (var (id, m, schedule) in agreements) events.Add(new AgreementMade(id, "Afspraak", m, null, schedule, Grace, start));
        events.Add(new PlanAgreed(DateOnly.FromDateTime(Now.Date).AddDays(60), start));
        History(events, planId, random, agreements, start, Now, ManyMonitor, crossOn: null, Guid.Empty, null, "", "", ratedBy: member, reminders);
        return events;
    }

    private static void History(List<object> events, Guid planId, Random random, (Guid Id, Guid Member, Schedule Schedule)[] agreements,
        DateTimeOffset from, DateTimeOffset until, string monitor, Guid? crossOn, Guid bottomLine, BottomLineRule? rule, string title, string bottomLineText,
        Guid ratedBy, bool reminders = false)
    {
        var network = new Plan { Members = [.. agreements.Select(a => a.Member).Distinct().Select(m => new Member { Id = m })] };
        var day = DateOnly.FromDateTime(from.Date);
        var last = DateOnly.FromDateTime(until.Date);
        var today = new List<(DateTimeOffset At, object[] Events)>();
        for (; day <= last; day = day.AddDays(1))
        {
            today.Clear();
            foreach (var (agreementId, member, schedule) in agreements)
            {
                if (schedule.Weekly is { } days && !days.Contains(day.DayOfWeek)) continue;
                var occurrence = Schedule.ToInstant(day.ToDateTime((schedule.Daily ?? schedule.At)!.Value), Zone);
                if (occurrence <= from || occurrence >= until) continue;
                var dueBy = occurrence + Grace;
                var roll = dueBy > until ? 0 : random.Next(100);
                BreachRecorded? breach = null;
                var group = new List<object>();
                DateTimeOffset at;
                if (roll < 95)
                {
                    var outcome = roll < 88 ? CheckInOutcome.Kept : roll < 93 ? CheckInOutcome.Partly : CheckInOutcome.NotKept;
                    at = occurrence.AddMinutes(random.Next(-20, 25));
                    var checkIn = DerivedId.From(agreementId, $"c{day:yyyyMMdd}");
                    group.Add(new CheckInLogged(checkIn, $"c{day:yyyyMMdd}-{agreementId:N}", agreementId, member, outcome,
                        outcome == CheckInOutcome.Kept ? null : "lukte niet helemaal", occurrence, at));
                    if (outcome == CheckInOutcome.NotKept)
                        group.Add(breach = new BreachRecorded(DerivedId.From(checkIn, "breach"), BreachKind.NotKept, agreementId, checkIn, null, at,
                            OccurredAt: occurrence, Occurrence: occurrence));
                }
                else
                {
                    // As the deadline sweep writes it (Scheduling/Sweep.cs), a few seconds after the grace period ended.
                    at = dueBy.AddSeconds(random.Next(1, 15));
                    var missedId = DerivedId.From(agreementId, occurrence.UtcTicks.ToString(CultureInfo.InvariantCulture));
                    group.Add(new CheckInMissed(agreementId, occurrence, dueBy, at));
                    group.Add(breach = new BreachRecorded(DerivedId.From(missedId, "breach"), BreachKind.Missed, agreementId, missedId, null, at,
                        OccurredAt: dueBy, Occurrence: occurrence));
                }
                today.Add((at, group.ToArray()));
                if (reminders)
                {
                    // As the reminder sweep and the dispatcher write it (Scheduling/Reminders.cs): half an hour before, on each of the
                    // member's channels; the e-mail sent, the push skipped (no subscription).
                    var remindAt = occurrence - TimeSpan.FromMinutes(30);
                    var queued = Notify.Member(network, NotificationSubject.CheckInReminder, Notify.OccurrenceReference(agreementId, occurrence), member, remindAt).ToList();
                    today.Add((remindAt, [.. queued]));
                    today.Add((remindAt.AddSeconds(3), queued.Select(q => q.Channel == NotificationChannel.Email
                        ? (object)new NotificationSent(q.Key, "ouder@gezin.test", remindAt.AddSeconds(3))
                        : new NotificationSkipped(q.Key, "No push subscription is known for this recipient; the notification is in the in-app inbox.", remindAt.AddSeconds(3))).ToArray()));
                }
                if (breach is not null && crossOn == agreementId && rule is not null)
                {
                    // As BottomLineCrossings.Cross writes it; then the dispatcher's outcomes, the monitor's acknowledgement and resolution.
                    var reason = $"{rule.Describe()} ({(breach.Kind == BreachKind.NotKept ? "an agreement was not kept" : "a check-in was missed")})";
                    var escalation = DerivedId.From(breach.BreachId, bottomLine, "escalation");
                    var queued = Notify.ProfessionalAndOrganisation(NotificationSubject.EscalationRaised, escalation.ToString(), monitor, at).ToList();
                    today.Add((at, [new BottomLineCrossed(bottomLine, breach.BreachId, reason, at, breach.Date),
                        new EscalationRaised(escalation, bottomLine, title, bottomLineText, reason, monitor, null, at + TimeSpan.FromHours(4), at), .. queued]));
                    var delivered = at.AddSeconds(3);
                    today.Add((delivered, queued.Select(q => q.Channel switch
                    {
                        NotificationChannel.Email => (object)new NotificationSent(q.Key, $"{monitor}@jeugdzorg.test", delivered),
                        NotificationChannel.Push => new NotificationSkipped(q.Key, "No push subscription is known for this recipient; the notification is in the in-app inbox.", delivered),
                        _ => new NotificationSkipped(q.Key, "No webhook is configured for the organisation.", delivered),
                    }).ToArray()));
                    today.Add((at.AddMinutes(30), [new EscalationAcknowledged(escalation, monitor, null, at.AddMinutes(30))]));
                    today.Add((at.AddHours(2), [new EscalationResolved(escalation, monitor, "Besproken met het gezin", at.AddHours(2))]));
                }
            }
            if (day.DayOfWeek == DayOfWeek.Sunday)
            {
                var at = Schedule.ToInstant(day.ToDateTime(new TimeOnly(21, 0)), Zone);
                if (at > from && at < until) today.Add((at, [new SafetyRated(DerivedId.From(planId, $"r{day:yyyyMMdd}"), $"r{day:yyyyMMdd}", ratedBy, random.Next(5, 10), null, at)]));
            }
            foreach (var (_, group) in today.OrderBy(g => g.At)) events.AddRange(group);
        }
    }

    /// <summary>Everything measured at national size, as rows beside the small-size ones.</summary>
    public static async Task<List<Result>> Measure(string adminConnectionString, string folder, int plans, int seconds, int rounds)
    {
        var due = Math.Clamp(plans / 10, 1, 1_000); // 1,000 from 10,000 plans up; fewer only in a trial run
        var results = new List<Result>();
        var connectionString = await Machine.CreateDatabase(adminConnectionString, "bench_national");
        Seeded seeded;
        await using (var seeding = await Seeding.Open(connectionString))
        {
            Console.WriteLine($"  national: seeding {plans:N0} plans with five agreements and a year of history...");
            seeded = await Seed(seeding, connectionString, plans, due);
        }
        var proof = await ProveIdentical(adminConnectionString, connectionString, [0, WarmUp + due * BusyMinutes.Length, plans - 1], due);
        Console.WriteLine($"  national: {proof}");
        var size = await Scalar<long>(connectionString, "select pg_database_size(current_database())");
        results.Add(new Result("N0", $"national seeding: {plans:N0} active plans, five agreements and a year of history each (+ one five-year plan), events, plan documents and receipts serialised by Marten's serializer and COPYed into its tables (50 plans a batch, 2 at a time)",
            seeded.Events, "events", "as fast as possible",
            Note: $"{seeded.Took.TotalMinutes:0.0} min, {seeded.Events / seeded.Took.TotalSeconds:#,0} events/s, database {size / 1048576.0:#,0} MB; {proof}"));
        Console.WriteLine($"  N0: {results[^1].Figure}");

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var (number, name, id) in new[]
                     {
                         ("11", "plan document after five years of five daily agreements", seeded.FiveYearPlan),
                         ("11b", "plan document after a year of the national mix", seeded.YearPlan),
                         ("11c", "plan document after five years of five daily agreements, the member reminded before each occurrence", seeded.FiveYearRemindedPlan),
                     })
            {
                await using var command = new NpgsqlCommand("select pg_column_size(data), octet_length(data::text), (select max(version) from safetyplan.mt_events where stream_id = @id) from safetyplan.mt_doc_plan where id = @id", connection);
                command.Parameters.AddWithValue("id", id);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (stored, json, version) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2));
                results.Add(new Result(number, $"{name} ({version:N0} events)", stored, "bytes stored", number == "11" ? "<= 64 KB" : "",
                    Met: number == "11" ? stored <= 65_536 : null, Note: $"JSON {json:#,0} bytes"));
                Console.WriteLine($"  {number}: {results[^1].Figure}");
            }
        }

        var server = await Server.Start(connectionString, folder, manualClock: Now);
        try
        {
            var clock = server.As("bench-clock", "admin");
            async Task<(double Seconds, int Events)> MoveTo(TimeOnly local)
            {
                var watch = Stopwatch.StartNew();
                var response = await clock.PostAsJsonAsync("/api/dev/clock", new { now = new DateTimeOffset(Now.Date + local.ToTimeSpan(), Now.Offset) });
                response.EnsureSuccessStatusCode();
                var elapsed = watch.Elapsed.TotalSeconds;
                return (elapsed, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("events").GetInt32());
            }
            var (first, warmEvents) = await MoveTo(new TimeOnly(15, 30));
            if (warmEvents != 2 * WarmUp) Console.WriteLine($"  (the warm-up sweep appended {warmEvents} events; {2 * WarmUp} expected)");
            var sweeps = new List<double>();
            var appended = new List<int>();
            foreach (var minute in BusyMinutes)
            {
                var (elapsed, events) = await MoveTo(minute.AddHours(1).AddMinutes(1));
                if (events != 2 * due) Console.WriteLine($"  (the sweep at {minute.AddHours(1).AddMinutes(1)} appended {events} events; {2 * due} (a missed check-in and its breach each) expected)");
                appended.Add(events);
                sweeps.Add(elapsed);
            }
            results.Add(new Result("5n", $"one deadline sweep at national size: {plans * 5:N0} active agreements ({plans:N0} plans) of which {due:N0} due in the busiest minute, {BusyMinutes.Length} sweeps appending {string.Join("/", appended)} events (the server's first sweep, {WarmUp} due: {first:0.00} s)",
                sweeps.Order().ElementAt(sweeps.Count / 2), "s", "<= 0.3 s") { Range = (sweeps.Min(), sweeps.Max()), Met = plans >= 50_000 ? sweeps.Order().ElementAt(sweeps.Count / 2) <= 0.3 : null });
            Console.WriteLine($"  5n: {results[^1].Figure}");

            // Check-ins at 16:11 on the 17:00 agreement of 2,000 plans (its window opened at 16:00), 16 clients, each a different plan in turn.
            var runs = new List<double>();
            long total = 0;
            var slice = TimeSpan.FromSeconds(Math.Max(1, seconds / rounds));
            using var bare = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            await CheckIns(bare, seeded.CheckInPlans, 16, TimeSpan.FromSeconds(3), rounds); // unmeasured: the server's first check-ins compile their code
            server.Process.Refresh();
            var cpuBefore = server.Process.TotalProcessorTime;
            for (var round = 0; round < rounds; round++)
            {
                var n = await CheckIns(bare, seeded.CheckInPlans, 16, slice, round);
                total += n;
                runs.Add(n / slice.TotalSeconds);
            }
            server.Process.Refresh();
            var cpu = (server.Process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            results.Add(new Result("2n", $"check-in over HTTP through the whole stack at national size, 16 clients over {seeded.CheckInPlans.Count:N0} plans with a year of history",
                total / (slice.TotalSeconds * rounds), "check-ins/s", "", Note: $"server CPU {cpu / Math.Max(1, total):0.00} ms per check-in") { Range = runs.Count > 1 ? (runs.Min(), runs.Max()) : null });
            Console.WriteLine($"  2n: {results[^1].Figure}");

            var planEvents = await Scalar<long>(connectionString, $"select max(version) from safetyplan.mt_events where stream_id = '{seeded.YearPlan}'");
            var fiveEvents = await Scalar<long>(connectionString, $"select max(version) from safetyplan.mt_events where stream_id = '{seeded.FiveYearPlan}'");
            results.Add(await Timed("6n", $"plan status ?version= replay at national size, a year-long plan ({planEvents:N0} events), warm", server.As(MonitorOf(WarmUp + due * BusyMinutes.Length), "professional"), $"/api/plans/{seeded.YearPlan}?version={planEvents}", ""));
            Console.WriteLine($"  6n: {results[^1].Figure}");
            results.Add(await Timed("6n'", $"plan status ?version= replay at national size, the five-year plan ({fiveEvents:N0} events), warm", server.As(ManyMonitor, "professional"), $"/api/plans/{seeded.FiveYearPlan}?version={fiveEvents}", "p50 <= 10 ms"));
            Console.WriteLine($"  6n': {results[^1].Figure}");
            results.Add(await Timed("10n", "plan list (GET /api/plans) of a professional monitoring 25 plans with a year of history each, at national size", server.As(MonitorOf(1000), "professional"), "/api/plans", ""));
            Console.WriteLine($"  10n: {results[^1].Figure}");
            results.Add(await Timed("10n'", $"plan list (GET /api/plans) of a professional monitoring {ManyPlans + 2} plans (100 with a year of history, two of five years), at national size", server.As(ManyMonitor, "professional"), "/api/plans", ""));
            Console.WriteLine($"  10n': {results[^1].Figure}");

            // The five-year plans with reminders off and on: a replay, and check-ins on each (the load and rewrite of its document).
            var remindedEvents = await Scalar<long>(connectionString, $"select max(version) from safetyplan.mt_events where stream_id = '{seeded.FiveYearRemindedPlan}'");
            results.Add(await Timed("6n''", $"plan status ?version= replay at national size, the five-year plan with reminders on ({remindedEvents:N0} events), warm", server.As(ManyMonitor, "professional"), $"/api/plans/{seeded.FiveYearRemindedPlan}?version={remindedEvents}", "p50 <= 10 ms"));
            Console.WriteLine($"  6n'': {results[^1].Figure}");
            await MoveTo(new TimeOnly(17, 31)); // the window of the five-year plans' 17:30 agreement is open (16:30-18:30)
            foreach (var (number, name, id) in new[] { ("2f", "reminders off", seeded.FiveYearPlan), ("2f'", "reminders on", seeded.FiveYearRemindedPlan) })
            {
                var report = new { agreementId = DerivedId.From(id, "a0"), memberId = DerivedId.From(id, "parent"), outcome = "kept" };
                results.Add(await Timed(number, $"one check-in after another on the five-year plan with {name}, as its monitor (the same reporter correcting within the window)",
                    server.As(ManyMonitor, "professional"), $"/api/plans/{id}/check-ins", "", () => new { clientId = Guid.NewGuid().ToString("N"), report.agreementId, report.memberId, report.outcome }));
                Console.WriteLine($"  {number}: {results[^1].Figure}");
            }
        }
        finally
        {
            await server.Stop();
        }
        return results;
    }

    /// <summary>
    /// Three runs of ten requests after three to warm up: p50 of all, and the range of each run's p50. GETs, or POSTs of
    /// <paramref name="body"/> (a new body for each request) when given.
    /// </summary>
    public static async Task<Result> Timed(string number, string name, HttpClient http, string url, string goal, Func<object>? body = null)
    {
        Task<HttpResponseMessage> Send() => body is null ? http.GetAsync(url) : http.PostAsJsonAsync(url, body());
        for (var i = 0; i < 3; i++) (await Send()).EnsureSuccessStatusCode();
        var all = new List<double>();
        var p50s = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var timings = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                var start = Stopwatch.GetTimestamp();
                (await Send()).EnsureSuccessStatusCode();
                timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            all.AddRange(timings);
            p50s.Add(timings.Order().ElementAt(timings.Count / 2));
        }
        var p50 = all.Order().ElementAt(all.Count / 2);
        return new Result(number, name, p50, "ms", goal, Met: goal == "p50 <= 10 ms" ? p50 <= 10 : null) { Range = (p50s.Min(), p50s.Max()) };
    }

    private static async Task<long> CheckIns(HttpClient http, List<(BenchPlan Plan, string Monitor)> plans, int clients, TimeSpan duration, int round)
    {
        var until = DateTime.UtcNow + duration;
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var n = 0;
            while (DateTime.UtcNow < until)
            {
                // As the plan's monitor (a professional reads and reports only on their own plans), each request a different plan.
                var (plan, monitor) = plans[(c + clients * (n + 1000 * round)) % plans.Count];
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/plans/{plan.PlanId}/check-ins")
                {
                    Content = JsonContent.Create(new { clientId = Guid.NewGuid().ToString("N"), agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "kept" }),
                };
                request.Headers.Add("X-User", monitor);
                request.Headers.Add("X-Roles", "professional");
                (await http.SendAsync(request)).EnsureSuccessStatusCode();
                n++;
            }
            return n;
        }));
        return counts.Sum();
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Where a plan document's bytes go (`--document`): the five-year and the year plan of <see cref="National"/>
/// built with <c>Plan.Evolve</c> and serialised by the server's Marten serializer, with the JSON bytes of each top-level
/// part and, inside the agreements, of each agreement field summed over the agreements.
/// </summary>
public static class DocumentParts
{
    public static void Print(string connectionString)
    {
        var app = SafetyPlanServer.Build([$"--ConnectionStrings:Postgres={connectionString}", "--Demo:Seed=false", "--Auth:Mode=Development", "--App:BaseUrl=http://localhost", "--Logging:LogLevel:Default=Warning"]);
        var serializer = ((StoreOptions)app.Services.GetRequiredService<IDocumentStore>().Options).Serializer();
        foreach (var (name, events) in National.DocumentSamples())
        {
            var plan = new Plan();
            foreach (var e in events) Plan.Evolve(plan, e);
            var json = serializer.ToJson(plan);
            // What every decision on the plan pays in .NET besides the database: reading the document and writing it back (median of 10, warm).
            var (write, read) = (new List<double>(), new List<double>());
            for (var round = 0; round < 13; round++)
            {
                var started = Stopwatch.GetTimestamp();
                var written = serializer.ToJson(plan);
                var between = Stopwatch.GetTimestamp();
                serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(written)));
                if (round < 3) continue;
                write.Add(Stopwatch.GetElapsedTime(started, between).TotalMilliseconds);
                read.Add(Stopwatch.GetElapsedTime(between).TotalMilliseconds);
            }
            Console.WriteLine($"{name}: {events.Count:N0} events, JSON {System.Text.Encoding.UTF8.GetByteCount(json):N0} bytes; " +
                              $"read {read.Order().ElementAt(read.Count / 2):0.0} ms, written {write.Order().ElementAt(write.Count / 2):0.0} ms (median of {read.Count})");
            using var document = JsonDocument.Parse(json);
            static int Bytes(JsonElement e) => System.Text.Encoding.UTF8.GetByteCount(e.GetRawText());
            foreach (var part in document.RootElement.EnumerateObject().OrderByDescending(p => Bytes(p.Value)).Take(12))
                Console.WriteLine($"  {part.Name,-24} {Bytes(part.Value),10:N0}");
            var fields = new Dictionary<string, int>();
            foreach (var agreement in document.RootElement.GetProperty(document.RootElement.EnumerateObject().First(p => p.Name.Equals("agreements", StringComparison.OrdinalIgnoreCase)).Name).EnumerateArray())
                foreach (var field in agreement.EnumerateObject())
                    fields[field.Name] = fields.GetValueOrDefault(field.Name) + Bytes(field.Value);
            foreach (var (field, bytes) in fields.OrderByDescending(f => f.Value).Take(6)) Console.WriteLine($"    agreements.{field,-20} {bytes,10:N0}");
        }
    }
}
