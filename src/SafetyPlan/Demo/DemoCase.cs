using Npgsql;
using SafetyPlan.Hosting;
using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Clock;
using SafetyPlan.Escalations;
using SafetyPlan.People;
using SafetyPlan.Reports;
using SafetyPlan.Scheduling;

namespace SafetyPlan.Demo;

/// <summary>
/// One realistic case for the embedded set-up (Demo:Seed): the Bakker family, two children, five network members, four
/// agreements and two bottom lines ("bodemeisen"), agreed at a network conference three weeks before the application
/// clock's today, followed by three weeks of history up to now: kept check-ins with a reminder before each, a late one,
/// a missed evening call that reached the watcher (oma Riet), a pick-up not kept that crossed a bottom line and whose
/// escalation passed from the monitor (anna) to the backup (bart), who acknowledged and resolved it, and weekly safety
/// ratings. Seeding twice adds nothing (the plan's stream exists).
/// <para>
/// The history is made as production makes it, never written by hand: every step is the production handler of its
/// command or report (<see cref="PlanCommandHandler{TCommand,TResult}"/>, <see cref="ReportHandler{TReport}"/>) on
/// <see cref="PlanStreams"/>, and time passing is the deadline sweep's own decision (<see cref="Sweep.Decide"/>) appended
/// through <see cref="PlanStreams"/> at each deadline the plan names, in order. The one difference is the clock those
/// streams read: a <see cref="ManualClock"/> of the demo's own that starts three weeks ago and moves to each moment of
/// the story. Its notifications are delivered (or skipped, without Smtp:Host) by the dispatcher once the history is in.
/// </para>
/// </summary>
public sealed class DemoCase(IServiceProvider services, ILogger<DemoCase> logger) : IHostedService
{
    public static readonly Guid PlanId = new("5afe7a1a-0000-4000-8000-00000000d3e0");
    public const string MonitorId = "anna";
    public const string BackupId = "bart";

    /// <summary>How far back the history starts: the network conference is this many days before the clock's today.</summary>
    public const int HistoryDays = 21;

    /// <summary>The conference's first session, where the plan was drafted, is this many days before the second, where it was agreed.</summary>
    public const int FirstSessionDaysEarlier = 14;

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(DraftPlan.DefaultTimeZone);
    private readonly TaskCompletionSource<Guid> _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the demo plan's id once it is seeded (at start-up, before the job server and the web server start); fails when seeding failed.</summary>
    public Task<Guid> Seeded => _seeded.Task;

    /// <summary>
    /// Seeds at start-up, registered before Hangfire's job server (Hosting/SafetyPlanServer.cs): the recurring sweep,
    /// which would catch the plan up to today in the middle of its history, does not run yet.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _seeded.TrySetResult(await Seed(cancellationToken));
        }
        catch (Exception e)
        {
            _seeded.TrySetException(e);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Seeds the demo case with its three weeks of history ending at the application clock's now, or finds it seeded.
    /// While it runs nothing else may sweep the plan (at start-up the job server has not started; a test holds
    /// Hangfire's sweep back); the dispatcher is held off the plan by its own lock until the history is in.
    /// </summary>
    /// <returns>the demo plan's id, <see cref="PlanId"/></returns>
    public async Task<Guid> Seed(CancellationToken ct)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        // One seeder at a time across nodes sharing the database: the second finds the case seeded instead of colliding.
        await using var connection = await store.OpenConnection(ct);
        await using (var take = new Npgsql.NpgsqlCommand("select pg_advisory_lock(@k)", connection))
        {
            take.Parameters.AddWithValue("k", SeedLock);
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            return await SeedLocked(store, ct);
        }
        finally
        {
            await using var release = new Npgsql.NpgsqlCommand("select pg_advisory_unlock(@k)", connection);
            release.Parameters.AddWithValue("k", SeedLock);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<Guid> SeedLocked(IDocumentStore store, CancellationToken ct)
    {
        await using (var query = store.QuerySession())
        {
            if (await query.Events.FetchStreamStateAsync(PlanId, ct) is not null)
            {
                if (await query.LoadAsync<DemoSeeded>(DemoSeeded.TheId, ct) is null)
                    logger.LogWarning("The demo case {PlanId} was left half-seeded (a stop during seeding); remove .data to seed it again", PlanId);
                return PlanId;
            }
        }

        await using (var session = store.LightweightSession())
        {
            session.Store(
                new UserAccount { Id = MonitorId, Name = "Anna de Vries", Email = "anna.devries@jeugdzorg.example", Language = "nl", Roles = [Caller.Professional] },
                new UserAccount { Id = BackupId, Name = "Bart Peeters (teamleider)", Email = "bart.peeters@jeugdzorg.example", Language = "nl", Roles = [Caller.Professional] },
                new UserAccount { Id = AuditorId, Name = "Ilse Vermeulen (auditor)", Email = "ilse.vermeulen@jeugdzorg.example", Language = "nl", Roles = [Caller.Auditor] },
                new UserAccount { Id = "admin", Name = "Beheerder", Email = "beheer@jeugdzorg.example", Language = "en", Roles = [Caller.Admin] });
            await session.SaveChangesAsync(ct);
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        var history = new History(services, Local(today.AddDays(-HistoryDays - FirstSessionDaysEarlier), new TimeOnly(10, 0)), ct);
        await using (await history.HoldDeliveries())
        {
            await Tell(history, today, now);
        }
        await using (var session = store.LightweightSession())
        {
            session.Store(new DemoSeeded { SeededAt = now });
            await session.SaveChangesAsync(ct);
        }
        logger.LogDebug("Demo case {PlanId} (gezin Bakker) seeded with {Days} days of history", PlanId, HistoryDays);
        return PlanId;
    }

    /// <summary>The advisory lock key of seeding (an arbitrary constant, apart from the plans' keys, which are plan ids).</summary>
    private const long SeedLock = 0x5AFE_D3E0_0000_0001;

    /// <summary>The story, in the order it happened; every moment is before <paramref name="now"/>.</summary>
    private static async Task Tell(History h, DateOnly today, DateTimeOffset now)
    {
        var anna = Professional(MonitorId);
        var conference = today.AddDays(-HistoryDays);

        // The referral (Veilig Thuis, nine days before the first session; the first session due within six weeks) and the
        // network conference in two sessions: the first drafts the plan, the second agrees it.
        var firstSession = conference.AddDays(-FirstSessionDaysEarlier);
        var referral = new Conference.Referral("Veilig Thuis", firstSession.AddDays(-9), Bounds.DefaultConferenceWithinDays);

        // The network conference: who worries about what, the safety goals, who does what when, and the bottom lines.
        await h.Draft(new DraftPlan(PlanId, "Veiligheidsplan gezin Bakker", "Gezin Bakker (Sem, 8 jaar, en Lotte, 5 jaar)", MonitorId, BackupId, DraftPlan.DefaultTimeZone, anna,
            Referral: referral));
        var sandra = await h.Send<AddMember, CreatedId>(new AddMember(PlanId, Id("sandra"), "Sandra Bakker (moeder)", MemberRole.Parent, null, "06-12345678", anna));
        var mark = await h.Send<AddMember, CreatedId>(new AddMember(PlanId, Id("mark"), "Mark Bakker (vader)", MemberRole.Parent, null, null, anna));
        var riet = await h.Send<AddMember, CreatedId>(new AddMember(PlanId, Id("riet"), "Oma Riet", MemberRole.Network, "riet@example.org", "06-87654321", anna));
        var fatima = await h.Send<AddMember, CreatedId>(new AddMember(PlanId, Id("fatima"), "Fatima (buurvrouw)", MemberRole.Network, null, null, anna));
        var ellen = await h.Send<AddMember, CreatedId>(new AddMember(PlanId, Id("ellen"), "Juf Ellen (groepsleerkracht)", MemberRole.Professional, "ellen@school.example", null, anna));
        await h.Send<AddMember, CreatedId>(new AddMember(PlanId, Id("sem"), "Sem", MemberRole.Child, null, null, anna));
        await h.Send<AddMember, CreatedId>(new AddMember(PlanId, Id("lotte"), "Lotte", MemberRole.Child, null, null, anna));

        await h.Send<Conference.RecordConferenceSession, CreatedId>(new Conference.RecordConferenceSession(PlanId, firstSession, [sandra, mark, riet, fatima, ellen], [MonitorId],
            "Eerste sessie: zorgen en wat goed gaat in kaart gebracht; gevaarsverklaringen en veiligheidsdoelen opgesteld, afspraken en bodemeisen voorbereid.", anna));

        var afterSchool = await h.Send<SetSafetyGoal, CreatedId>(new SetSafetyGoal(PlanId, Id("goal-after-school"),
            "Wij zijn bang dat Sem en Lotte na school alleen thuis zijn als moeder heeft gedronken, en dat niemand dan voor ze zorgt.",
            "Er is elke schooldag na school een nuchtere volwassene bij Sem en Lotte, de komende drie maanden.", anna));
        var evenings = await h.Send<SetSafetyGoal, CreatedId>(new SetSafetyGoal(PlanId, Id("goal-evenings"),
            "Wij zijn bang dat de kinderen 's avonds getuige zijn van ruzies met geschreeuw en geweld.",
            "Als er 's avonds spanning is, belt moeder oma Riet en gaan de kinderen daar slapen.", anna));

        var weekdays = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" };
        var pickUp = await h.Send<MakeAgreement, CreatedId>(new MakeAgreement(PlanId, Id("pick-up"), "Oma Riet haalt Sem en Lotte elke schooldag om 15:00 op en blijft tot vader thuis is.",
            riet, afterSchool, new ScheduleRequest(null, weekdays, "15:00", null), TimeSpan.FromHours(2), anna, Watchers: [mark]));
        var call = await h.Send<MakeAgreement, CreatedId>(new MakeAgreement(PlanId, Id("evening-call"), "Moeder belt elke avond om 20:00 met oma Riet hoe het gaat.",
            sandra, evenings, new ScheduleRequest("20:00", null, null, null), TimeSpan.FromHours(3), anna, Watchers: [riet]));
        var school = await h.Send<MakeAgreement, CreatedId>(new MakeAgreement(PlanId, Id("school"), "Juf Ellen meldt op maandag en donderdag of Sem en Lotte op school waren en er verzorgd uitzagen.",
            ellen, afterSchool, new ScheduleRequest(null, ["monday", "thursday"], "16:00", null), TimeSpan.FromHours(4), anna));
        await h.Send<MakeAgreement, CreatedId>(new MakeAgreement(PlanId, Id("saturday"), "Buurvrouw Fatima loopt zaterdag om 11:00 even binnen.",
            fatima, evenings, new ScheduleRequest(null, ["saturday"], "11:00", null), TimeSpan.FromHours(6), anna));

        await h.Send<SetBottomLine, CreatedId>(new SetBottomLine(PlanId, Id("bottom-line-pick-up"), "Bodemeis: als Sem en Lotte niet zijn opgehaald, komt de regiehouder direct in actie.",
            new BottomLineRule(RuleKind.AnyBreach, AgreementId: pickUp), TimeSpan.FromHours(2), anna));
        await h.Send<SetBottomLine, CreatedId>(new SetBottomLine(PlanId, Id("bottom-line-concern"), "Bodemeis: bij een ernstige zorg (geweld, alcohol, kinderen alleen) handelt de regiehouder binnen twee uur.",
            new BottomLineRule(RuleKind.Concern, MinSeverity: Severity.High), TimeSpan.FromHours(2), anna));

        await h.MoveTo(Local(conference, new TimeOnly(9, 30)));
        await h.Send<Conference.RecordConferenceSession, CreatedId>(new Conference.RecordConferenceSession(PlanId, conference, [sandra, mark, riet, fatima, ellen], [MonitorId, BackupId],
            "Tweede sessie: afspraken en bodemeisen doorgenomen en aangescherpt; het netwerk stelt het plan vast.", anna));
        await h.MoveTo(Local(conference, new TimeOnly(11, 30)));
        await h.Send<AgreePlan, PlanAgreedResult>(new AgreePlan(PlanId, conference.AddDays(42), anna)); // evaluation after six weeks

        // Three weeks of occurrences, each reported by its member within the window after a reminder, except these.
        var plan = await h.Plan();
        var occurrences = plan.Agreements
            .SelectMany(a => Occurrences(plan, a, now).Select(at => (Agreement: a, At: at)))
            .OrderBy(o => o.At).ToList();
        DateTimeOffset First(Guid agreement, int day) => occurrences.First(o => o.Agreement.Id == agreement && o.At >= Local(conference.AddDays(day), TimeOnly.MinValue)).At;
        var late = First(school, 3);        // juf Ellen forgets, and reports the next morning
        var missed = First(call, 8);        // nobody reports the evening call: oma Riet, its watcher, hears of it
        var notKept = First(pickUp, 9);     // oma Riet is ill: the bottom line is crossed, and anna does not answer in time
        var partly = First(call, 16);       // a short call: partly kept

        var steps = new List<(DateTimeOffset At, Func<Task> Do)>();
        foreach (var (agreement, at) in occurrences)
        {
            var member = agreement.ResponsibleMemberId;
            var key = $"demo-{agreement.Id:N}-{at.UtcDateTime:yyyyMMddHHmm}";
            var minutes = 10 + (int)(at.ToUnixTimeSeconds() / 3600 % 35); // a little later or earlier from one day to the next
            if (at == missed) continue;
            if (at == late)
            {
                steps.Add((Local(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime).AddDays(1), new TimeOnly(8, 15)),
                    () => h.Report(new LogCheckIn(PlanId, DerivedId.From(PlanId, key), key, agreement.Id, member, CheckInOutcome.Kept,
                        "Gisteren vergeten door te geven: beide kinderen waren op school.", at, Member(member)))));
                continue;
            }
            var outcome = at == notKept ? CheckInOutcome.NotKept : at == partly ? CheckInOutcome.Partly : CheckInOutcome.Kept;
            var note = at == notKept ? "Ik lag met koorts in bed; de kinderen zijn niet opgehaald." : at == partly ? "Kort gebeld, moeder was moe." : null;
            steps.Add((at.AddMinutes(minutes), () => h.Report(new LogCheckIn(PlanId, DerivedId.From(PlanId, key), key, agreement.Id, member, outcome, note, at, Member(member)))));
        }

        // The escalation of the pick-up not kept: anna is in a meeting; at its deadline it passes to bart, who acknowledges.
        var bart = Professional(BackupId);
        var escalated = notKept.AddMinutes(10 + (int)(notKept.ToUnixTimeSeconds() / 3600 % 35));
        steps.Add((escalated.AddHours(2).AddMinutes(25), async () =>
        {
            var escalation = (await h.Plan()).Escalations.Single();
            await h.Send<RespondToEscalation, EscalationResult>(new RespondToEscalation(PlanId, escalation.Id, false, "Gebeld met oma Riet en vader; vader haalt de kinderen vandaag op.", bart));
        }));
        steps.Add((escalated.AddHours(4), async () =>
        {
            var escalation = (await h.Plan()).Escalations.Single();
            await h.Send<RespondToEscalation, EscalationResult>(new RespondToEscalation(PlanId, escalation.Id, true, "Kinderen zijn bij vader; buurvrouw Fatima springt in tot oma beter is.", bart));
        }));

        // The scaling question each Sunday evening: how safe are Sem and Lotte now, from 0 to 10.
        var scores = new[] { (Sandra: 6, Riet: 5), (Sandra: 5, Riet: 4), (Sandra: 7, Riet: 7) };
        for (var week = 0; week < scores.Length; week++)
        {
            var sunday = Enumerable.Range(7 * week, 7).Select(d => conference.AddDays(d)).First(d => d.DayOfWeek == DayOfWeek.Sunday);
            foreach (var (member, score) in new[] { (sandra, scores[week].Sandra), (riet, scores[week].Riet) })
            {
                var key = $"demo-rating-{member:N}-{sunday:yyyyMMdd}";
                steps.Add((Local(sunday, new TimeOnly(19, 0)), () => h.Report(new GiveRating(PlanId, DerivedId.From(PlanId, key), key, member, score, null, Member(member)))));
            }
        }

        // The case audit last, an hour before now: its commands catch the plan up to their own moment, never past the history's end.
        steps.Add((now.AddHours(-1), () => Audit(h)));

        foreach (var (at, step) in steps.Where(s => s.At <= now).OrderBy(s => s.At))
        {
            await h.MoveTo(at);
            await step();
        }
        await h.MoveTo(now);
    }

    /// <summary>The auditor of the demo's organisation (Ilse): opens and signs the case audit with anna.</summary>
    public const string AuditorId = "ilse";

    /// <summary>
    /// The collaborative case audit at the end of the history, through the real decisions: Ilse (auditor) opens it with
    /// anna on the facts as they stand now, writes it with her, and both sign (CaseAudits/).
    /// </summary>
    private static async Task Audit(History h)
    {
        var ilse = new Caller(AuditorId, new HashSet<string> { Caller.Auditor }, null, "nl");
        var (events, version) = await h.Events();
        var audit = await h.Send<CaseAudits.OpenCaseAudit, CreatedId>(
            new CaseAudits.OpenCaseAudit(PlanId, MonitorId, CaseAudits.CaseAuditFactsOf.Of(events), version, null, null, ilse));
        await h.Send<CaseAudits.WriteCaseAudit, CaseAudits.CaseAuditView>(new CaseAudits.WriteCaseAudit(PlanId, audit,
        [
            new CaseAuditAnswer("danger-statements-and-goals-clear", 4, "Het doel 'elke dag een nuchtere volwassene thuis' is zichtbaar gedrag."),
            new CaseAuditAnswer("network-involved", 5, "Vijf netwerkleden, en de buurvrouw sprong in toen oma ziek was."),
            new CaseAuditAnswer("bottom-lines-specific", 3, "De bodemeis over ophalen is scherp; die over drinken nog niet."),
            new CaseAuditAnswer("family-heard", 4, null),
        ], "De escalatie kwam pas bij de achtervang terecht: anna zat in overleg en had geen melding aan staan.",
            "Meldingen aanzetten tijdens overleg; de bodemeis over drinken concreet maken bij de volgende evaluatie.", ilse));
        await h.Send<CaseAudits.SignCaseAudit, CaseAudits.CaseAuditView>(new CaseAudits.SignCaseAudit(PlanId, audit, Professional(MonitorId)));
        await h.Send<CaseAudits.SignCaseAudit, CaseAudits.CaseAuditView>(new CaseAudits.SignCaseAudit(PlanId, audit, ilse));
    }

    /// <summary>The agreement's occurrences from the plan's agreement until the report window of each has opened by <paramref name="now"/>, minus the last hour: what is still open today stays open.</summary>
    private static IEnumerable<DateTimeOffset> Occurrences(Plan plan, Agreement agreement, DateTimeOffset now)
    {
        var zone = plan.Zone();
        for (var from = agreement.StartsAfter(plan); agreement.Schedule.Next(from, zone) is { } at && at.AddHours(1) <= now; from = at)
            yield return at;
    }

    private static Guid Id(string name) => DerivedId.From(PlanId, name);

    private static Caller Professional(string userId) => new(userId, new HashSet<string> { Caller.Professional }, null, "nl");

    /// <summary>A member on their phone, as the personal link signs them in (PersonalLinks/SignInWithLink.cs).</summary>
    private static Caller Member(Guid memberId) => new($"member-{memberId}", new HashSet<string> { Caller.MemberPrefix + memberId }, memberId, "nl");

    private static DateTimeOffset Local(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>The production paths on the demo's own clock: the handlers on <see cref="PlanStreams"/>, and the sweep's decision at each deadline.</summary>
    private sealed class History
    {
        private readonly IServiceProvider _services;
        private readonly ManualClock _clock;
        private readonly PlanStreams _streams;
        private readonly IDocumentStore _store;
        private readonly CancellationToken _ct;

        public History(IServiceProvider services, DateTimeOffset start, CancellationToken ct)
        {
            _services = services;
            _clock = new ManualClock(start);
            _streams = ActivatorUtilities.CreateInstance<PlanStreams>(services, (TimeProvider)_clock);
            _store = services.GetRequiredService<IDocumentStore>();
            _ct = ct;
        }

        /// <summary>
        /// Holds the dispatcher's lock on the plan (<see cref="Notifications.NotificationDispatcher.DeliverDue"/>) until
        /// disposed: a delivery recorded on today's clock in the middle of the history would catch the plan up to today.
        /// </summary>
        public async Task<IAsyncDisposable> HoldDeliveries()
        {
            var connection = await _store.OpenConnection(_ct);
            await using var take = new NpgsqlCommand("select pg_advisory_lock(@k)", connection);
            take.Parameters.AddWithValue("k", BitConverter.ToInt64(PlanId.ToByteArray(), 0));
            await take.ExecuteNonQueryAsync(_ct);
            return connection; // closing the connection lets go of the lock
        }

        public async Task Draft(DraftPlan command) => await DraftPlanHandler.Handle(command, _streams, _clock, _ct);

        public async Task<Guid> Send<TCommand, TResult>(TCommand command) where TCommand : IPlanCommand<TResult>
        {
            var decision = await PlanCommandHandler<TCommand, TResult>.Handle(command, _streams, _ct);
            if (decision.Rejection is { } refused) throw new InvalidOperationException($"The demo's {typeof(TCommand).Name} was refused: {refused.Detail}");
            return decision.Result is CreatedId created ? created.Id : Guid.Empty;
        }

        public async Task Report<TReport>(TReport report) where TReport : IReport
        {
            var decision = await ReportHandler<TReport>.Handle(report, _streams, _store, _ct);
            if (decision.Rejection is { } refused) throw new InvalidOperationException($"The demo's {typeof(TReport).Name} was refused: {refused.Detail}");
        }

        /// <summary>The data of the plan's events so far and the stream's version (what a case audit's facts are computed from).</summary>
        public async Task<(IReadOnlyList<object> Events, long Version)> Events()
        {
            await using var query = _store.QuerySession();
            var events = await query.Events.FetchStreamAsync(PlanId, token: _ct);
            return (events.Select(e => e.Data).ToList(), events.Count == 0 ? 0 : events[^1].Version);
        }

        public async Task<Plan> Plan()
        {
            await using var query = _store.QuerySession();
            return await query.LoadAsync<Plan>(PlanId, _ct) ?? throw new InvalidOperationException("The demo plan is not there.");
        }

        /// <summary>
        /// Moves the demo's clock to <paramref name="moment"/>, stopping at each deadline of the plan on the way (a
        /// reminder, a missed check-in, an escalation's step) for the sweep's decision, as Hangfire's sweep would.
        /// Deliveries are the dispatcher's, after the history.
        /// </summary>
        public async Task MoveTo(DateTimeOffset moment)
        {
            var duty = await _streams.DutyOf(Organisations.Tenants.Of(Caller.DefaultOrganisation), _ct);
            while (true)
            {
                var plan = await Plan();
                if (Sweep.HasWorkDue(plan, _clock.GetUtcNow()))
                {
                    await _streams.Decide(PlanId, PlanStreams.Scheduler, nameof(Sweep), (p, at) => Sweep.Decide(p, at, duty), _ct);
                    if ((await Plan()).Version == plan.Version)
                        throw new InvalidOperationException($"The sweep found work due on the demo plan at {_clock.GetUtcNow():O} and did none.");
                    continue;
                }
                var next = Deadlines.Upcoming(plan).Where(d => d.Kind != DeadlineKind.Delivery && d.DueAt > _clock.GetUtcNow() && d.DueAt <= moment)
                    .Select(d => (DateTimeOffset?)d.DueAt).Min();
                if (next is not { } due) break;
                _clock.Set(due);
            }
            if (moment > _clock.GetUtcNow()) _clock.Set(moment);
        }
    }
}

/// <summary>Written when the demo case's whole history is in: a demo plan without it was stopped halfway.</summary>
public sealed class DemoSeeded
{
    public const string TheId = "demo-case";
    public string Id { get; set; } = TheId;
    public DateTimeOffset SeededAt { get; set; }
}
