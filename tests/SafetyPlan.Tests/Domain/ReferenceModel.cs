using SafetyPlan.BottomLines;
using SafetyPlan.Plans;

namespace SafetyPlan.Tests.Domain;

// The alarm rules of domain.md ("Rules that make compliance real", "Rules for reports, time and alarms") restated as
// simply as they can be said, to be compared with the product's decisions (when_random_plans_meet_the_rules). It keeps
// what happened as a plain timeline (who reported what on which occurrence, which occurrences were missed, which
// breaches, crossings and escalations there were) and answers every question by looking at that whole timeline again.
// It calls none of the product's rules: not Schedule, ReportWindow, BottomLineRule, Sweep or Deadlines, not even
// TimeZoneInfo for Amsterdam's clock. Slow on purpose; a plan here lives a few weeks.

/// <summary>The plan's clock on the wall in Amsterdam, by the EU's rule: summer time (+02:00) from 01:00 UTC on the last Sunday of March until 01:00 UTC on the last Sunday of October, else +01:00.</summary>
public static class AmsterdamWallClock
{
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1), Summer = TimeSpan.FromHours(2);

    private static DateTimeOffset LastSundayAtOneUtc(int year, int month)
    {
        var day = new DateTime(year, month, DateTime.DaysInMonth(year, month));
        while (day.DayOfWeek != DayOfWeek.Sunday) day = day.AddDays(-1);
        return new DateTimeOffset(day.AddHours(1), TimeSpan.Zero);
    }

    public static TimeSpan OffsetAt(DateTimeOffset instant) =>
        instant >= LastSundayAtOneUtc(instant.UtcDateTime.Year, 3) && instant < LastSundayAtOneUtc(instant.UtcDateTime.Year, 10) ? Summer : Winter;

    public static DateTime LocalTime(DateTimeOffset instant) => instant.UtcDateTime + OffsetAt(instant);

    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(LocalTime(instant));

    /// <summary>
    /// The instant a wall-clock time names: of the (at most two) instants that show it, the first; when none shows it (the
    /// hour skipped in spring, 02:00 to 03:00) the first moment after the gap, 03:00 summer time (domain.md, "Times").
    /// </summary>
    public static DateTimeOffset Instant(DateTime local)
    {
        var showing = new[] { Summer, Winter }
            .Select(offset => new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset))
            .Where(candidate => OffsetAt(candidate) == candidate.Offset)
            .OrderBy(candidate => candidate.UtcTicks)
            .ToList();
        var chosen = showing.Count > 0 ? showing[0] : new DateTimeOffset(DateTime.SpecifyKind(local.Date.AddHours(3), DateTimeKind.Unspecified), Summer);
        return chosen.ToOffset(OffsetAt(chosen));
    }
}

public enum ScheduleKind { Daily, Weekly, Once }

/// <summary>When an agreement occurs: daily at a time, on some weekdays at a time, or once on a day at a time (local in Amsterdam).</summary>
public sealed record ScheduleSpec(ScheduleKind Kind, TimeOnly At, IReadOnlyList<DayOfWeek> Days, DateOnly? OnceOn)
{
    public override string ToString() => Kind switch
    {
        ScheduleKind.Daily => $"daily {At:HH\\:mm}",
        ScheduleKind.Weekly => $"{string.Join("/", Days.Select(d => d.ToString()[..3]))} {At:HH\\:mm}",
        _ => $"once {OnceOn:yyyy-MM-dd} {At:HH\\:mm}",
    };
}

/// <summary>An agreement: who is responsible (a member index), who else may report on it, when it occurs, its grace and how long before each occurrence reports open (null: the default hour).</summary>
public sealed record AgreementSpec(int Responsible, IReadOnlyList<int> Reporters, ScheduleSpec Schedule, TimeSpan Grace, TimeSpan? ReportFrom)
{
    public override string ToString() =>
        $"{Family.Names[Responsible]} {Schedule} grace {Grace} reportFrom {(ReportFrom?.ToString() ?? "default")} reporters [{string.Join(",", Reporters.Select(r => Family.Names[r]))}]";
}

/// <summary>A bottom line's rule and its acknowledge time; <see cref="Agreement"/> (an index, modulo the agreements made so far) where the rule names one.</summary>
public sealed record BottomLineSpec(RuleKind Kind, int? Agreement, int Count, TimeSpan Within, TimeSpan For, Severity MinSeverity, TimeSpan AcknowledgeWithin)
{
    public override string ToString() => Kind switch
    {
        RuleKind.AnyBreach => $"any-breach of a{Agreement}",
        RuleKind.Breaches => $"{Count} breaches within {Within}{(Agreement is null ? "" : $" of a{Agreement}")}",
        RuleKind.MissedInARow => $"{Count} missed in a row{(Agreement is null ? "" : $" of a{Agreement}")}",
        RuleKind.Silence => $"silence for {For}",
        _ => $"concern from {MinSeverity}",
    } + $" (acknowledge within {AcknowledgeWithin})";
}

/// <summary>The people of the generated plans: four network members and three professionals.</summary>
public static class Family
{
    public const int Mother = 0, Oma = 1, Teacher = 2, Father = 3;
    public static readonly string[] Names = ["mother", "oma", "teacher", "father"];
    public static readonly MemberRole[] Roles = [MemberRole.Parent, MemberRole.Network, MemberRole.Network, MemberRole.Parent];
    /// <summary>Oma has no e-mail address (and no phone subscribed to push): no message reaches her.</summary>
    public static readonly string?[] Emails = ["mother@example.org", null, "teacher@example.org", "father@example.org"];
    public static readonly Guid[] Ids = Names.Select((_, i) => Guid.Parse($"00000000-0000-0000-0000-0000000000{i + 1:x2}")).ToArray();
    /// <summary>The monitoring professional, the backup, and a professional of the team who is neither.</summary>
    public static readonly string[] Professionals = ["anna", "bart", "carla"];
}

public enum AnswerKind { Accepted, Repeated, Invalid, Forbidden, NotFound, Conflict }

/// <summary>How a command was answered; for a check-in also the occurrence it was booked on and whether it was late.</summary>
public sealed record Answer(AnswerKind Kind, DateTimeOffset? Occurrence = null, bool? Late = null)
{
    public override string ToString() =>
        Kind + (Occurrence is { } o ? $" on {Observed.Time(o)}{(Late == true ? " late" : "")}" : "");
}

/// <summary>What both the product and the model show after each step, in the same words, so they can be compared line by line.</summary>
public sealed record Observed(
    PlanState State, StatusColour Colour, IReadOnlyList<string> Breaches, IReadOnlyList<BottomLineSeen> BottomLines,
    IReadOnlyList<AgreementSeen> Agreements)
{
    public static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    public static string Time(DateTimeOffset? instant) => instant is { } i ? Time(i) : "-";

    public static string Breach(BreachKind kind, int? agreement, DateTimeOffset? occurrence, DateTimeOffset date, Severity? severity) =>
        $"{kind} {(agreement is { } a ? $"a{a}" : "-")} occurrence {Time(occurrence)} dated {Time(date)}{(severity is { } s ? $" {s}" : "")}";

    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string> { $"plan {State} {Colour}" };
        lines.AddRange(Breaches.Order(StringComparer.Ordinal).Select(b => $"breach {b}"));
        for (var i = 0; i < BottomLines.Count; i++)
        {
            lines.Add($"bottom line {i} crossed at [{string.Join(", ", BottomLines[i].Crossings.Select(Time))}]");
            lines.AddRange(BottomLines[i].Escalations.Select(e => $"bottom line {i} escalation {e}"));
        }
        lines.AddRange(Agreements.Select((a, i) => $"agreement a{i} {a}"));
        return lines;
    }
}

public sealed record BottomLineSeen(IReadOnlyList<DateTimeOffset> Crossings, IReadOnlyList<EscalationSeen> Escalations);

public sealed record EscalationSeen(DateTimeOffset RaisedAt, DateTimeOffset AcknowledgeBy, DateTimeOffset? AcknowledgedAt, DateTimeOffset? PassedToBackupAt, DateTimeOffset? ResolvedAt)
{
    public override string ToString() =>
        $"raised {Observed.Time(RaisedAt)} acknowledge by {Observed.Time(AcknowledgeBy)} acknowledged {Observed.Time(AcknowledgedAt)} passed {Observed.Time(PassedToBackupAt)} resolved {Observed.Time(ResolvedAt)}";
}

public sealed record AgreementSeen(int Due, int Kept, int Partly, int NotKept, int Missed, int LateReports)
{
    public override string ToString() => $"due {Due} kept {Kept} partly {Partly} not-kept {NotKept} missed {Missed} late reports {LateReports}";
}

/// <summary>How a generated check-in names its occurrence (resolved against the model's own schedule, then given to both).</summary>
public enum Naming { None, Latest, OneBeforeLatest, Next, NotOnTheSchedule, BeforeTheAgreementStarts }

/// <summary>The reference model of one safety plan.</summary>
public sealed class ReferenceModel
{
    private sealed class Agreement(AgreementSpec spec, DateTimeOffset madeAt)
    {
        public AgreementSpec Spec { get; } = spec;
        public DateTimeOffset MadeAt { get; } = madeAt;
        public DateTimeOffset? WithdrawnAt { get; set; }
        public TimeSpan Grace => Spec.Grace;
        public TimeSpan ReportFrom => Spec.ReportFrom ?? TimeSpan.FromHours(1);
        /// <summary>What became of each occurrence: the outcome reported in its window (or corrected later), or missed.</summary>
        public Dictionary<DateTimeOffset, CheckInOutcome> Outcomes { get; } = new();
        public HashSet<DateTimeOffset> Missed { get; } = [];
        public int LateReports { get; set; }
        public bool MayBeReportedOnBy(int member) => member == Spec.Responsible || Spec.Reporters.Contains(member);
        public bool IsSettled(DateTimeOffset occurrence) => Outcomes.ContainsKey(occurrence) || Missed.Contains(occurrence);
    }

    private sealed record Breach(BreachKind Kind, int? Agreement, DateTimeOffset? Occurrence, DateTimeOffset Date, Severity? Severity);

    private sealed class Escalation(DateTimeOffset raisedAt, DateTimeOffset acknowledgeBy)
    {
        public DateTimeOffset RaisedAt { get; } = raisedAt;
        public DateTimeOffset AcknowledgeBy { get; } = acknowledgeBy;
        public DateTimeOffset? AcknowledgedAt { get; set; }
        public DateTimeOffset? PassedToBackupAt { get; set; }
        public DateTimeOffset? ResolvedAt { get; set; }
    }

    private sealed class BottomLine(BottomLineSpec spec, int? agreement, DateTimeOffset setAt)
    {
        public BottomLineSpec Spec { get; } = spec;
        public int? Agreement { get; } = agreement;
        public DateTimeOffset SetAt { get; } = setAt;
        public bool Removed { get; set; }
        public List<DateTimeOffset> Crossings { get; } = [];
        public List<Escalation> Escalations { get; } = [];
        public Escalation? Open => Escalations.LastOrDefault(e => e.ResolvedAt is null);
        public DateTimeOffset? LastResolvedAt => Escalations.Where(e => e.ResolvedAt is not null).Select(e => e.ResolvedAt).Max();
        /// <summary>Only breaches dated after the last resolution count towards a crossing (a fresh start).</summary>
        public bool Counts(DateTimeOffset date) => LastResolvedAt is not { } resolved || date > resolved;
    }

    private sealed record Receipt(bool IsCheckIn, Answer Answer);

    private readonly List<Agreement> agreements = [];
    private readonly List<BottomLine> bottomLines = [];
    private readonly List<Breach> breaches = [];
    private readonly List<DateTimeOffset> checkIns = [];
    private readonly Dictionary<(int Member, string ClientId), Receipt> receipts = new();
    private PlanState state = PlanState.Draft;
    private DateTimeOffset? agreedAt;
    private DateOnly? evaluationDue;

    public int AgreementCount => agreements.Count;
    public int BottomLineCount => bottomLines.Count;

    // ---- Occurrences: the schedule read day by day on Amsterdam's wall clock ----

    private static IEnumerable<DateTimeOffset> ScheduledTimes(ScheduleSpec schedule, DateTimeOffset after, DateTimeOffset until)
    {
        if (schedule.Kind == ScheduleKind.Once)
        {
            var once = AmsterdamWallClock.Instant(schedule.OnceOn!.Value.ToDateTime(schedule.At));
            if (once > after && once <= until) yield return once;
            yield break;
        }
        for (var day = AmsterdamWallClock.LocalDate(after).AddDays(-1); day <= AmsterdamWallClock.LocalDate(until).AddDays(1); day = day.AddDays(1))
        {
            if (schedule.Kind == ScheduleKind.Weekly && !schedule.Days.Contains(day.DayOfWeek)) continue;
            var time = AmsterdamWallClock.Instant(day.ToDateTime(schedule.At));
            if (time > after && time <= until) yield return time;
        }
    }

    /// <summary>Occurrences count strictly after the later of the agreement's making and the plan's agreement.</summary>
    private DateTimeOffset Start(Agreement agreement) => agreedAt is { } agreed && agreed > agreement.MadeAt ? agreed : agreement.MadeAt;

    private IEnumerable<DateTimeOffset> Occurrences(Agreement agreement, DateTimeOffset until) =>
        agreedAt is null ? [] : ScheduledTimes(agreement.Spec.Schedule, Start(agreement), until);

    private IEnumerable<DateTimeOffset> OccurrencesAfter(Agreement agreement, DateTimeOffset after, int days = 60) =>
        Occurrences(agreement, after.AddDays(days)).Where(o => o > after);

    // ---- Setting up ----

    public Answer MakeAgreement(AgreementSpec spec, DateTimeOffset now)
    {
        if (state == PlanState.Closed) return new Answer(AnswerKind.Conflict);
        if (spec.Schedule.Kind == ScheduleKind.Once && AmsterdamWallClock.Instant(spec.Schedule.OnceOn!.Value.ToDateTime(spec.Schedule.At)) <= now)
            return new Answer(AnswerKind.Invalid); // it could never occur
        agreements.Add(new Agreement(spec, now));
        return new Answer(AnswerKind.Accepted);
    }

    public Answer SetBottomLine(BottomLineSpec spec, DateTimeOffset now)
    {
        if (state == PlanState.Closed) return new Answer(AnswerKind.Conflict);
        int? agreement = spec.Agreement is { } a ? a % agreements.Count : null;
        if (agreement is { } named && agreements[named].WithdrawnAt is not null) return new Answer(AnswerKind.NotFound);
        bottomLines.Add(new BottomLine(spec, agreement, now));
        return new Answer(AnswerKind.Accepted);
    }

    /// <summary>A withdrawn agreement has no more occurrences to report on or to miss; what it had stays.</summary>
    public Answer WithdrawAgreement(int index, DateTimeOffset now)
    {
        if (state == PlanState.Closed) return new Answer(AnswerKind.Conflict);
        var agreement = agreements[index % agreements.Count];
        if (agreement.WithdrawnAt is not null) return new Answer(AnswerKind.Conflict);
        agreement.WithdrawnAt = now;
        return new Answer(AnswerKind.Accepted);
    }

    /// <summary>A removed bottom line is judged no more; one with an open escalation cannot be removed until it is resolved.</summary>
    public Answer RemoveBottomLine(int index, DateTimeOffset now)
    {
        if (state == PlanState.Closed) return new Answer(AnswerKind.Conflict);
        var bottomLine = bottomLines[index % bottomLines.Count];
        if (bottomLine.Removed) return new Answer(AnswerKind.NotFound);
        if (bottomLine.Open is not null) return new Answer(AnswerKind.Conflict);
        bottomLine.Removed = true;
        return new Answer(AnswerKind.Accepted);
    }

    public int? BottomLineAgreement(int index) => bottomLines[index].Agreement;

    public Answer Agree(DateOnly due, DateTimeOffset now)
    {
        agreedAt = now;
        evaluationDue = due;
        state = PlanState.Active;
        return new Answer(AnswerKind.Accepted);
    }

    // ---- Time passing ----

    private abstract record Due(DateTimeOffset At);
    private sealed record CheckInDue(DateTimeOffset At, int Agreement, DateTimeOffset Occurrence) : Due(At);
    private sealed record SilenceEnds(DateTimeOffset At, BottomLine BottomLine) : Due(At);
    private sealed record AcknowledgeDeadline(DateTimeOffset At, Escalation Escalation) : Due(At);

    /// <summary>Everything time makes happen by <paramref name="until"/> that has not happened yet.</summary>
    private IEnumerable<Due> Pending(DateTimeOffset until)
    {
        if (state == PlanState.Active)
        {
            for (var i = 0; i < agreements.Count; i++)
            {
                var agreement = agreements[i];
                if (agreement.WithdrawnAt is not null) continue;
                foreach (var occurrence in Occurrences(agreement, until - agreement.Grace).Where(o => !agreement.IsSettled(o)))
                    yield return new CheckInDue(occurrence + agreement.Grace, i, occurrence);
            }
            foreach (var bottomLine in bottomLines.Where(b => b.Spec.Kind == RuleKind.Silence && !b.Removed && b.Open is null))
            {
                var heardOf = new[] { agreedAt!.Value, bottomLine.SetAt }.Concat(checkIns).Append(bottomLine.LastResolvedAt ?? agreedAt!.Value).Max();
                if (heardOf + bottomLine.Spec.For <= until) yield return new SilenceEnds(heardOf + bottomLine.Spec.For, bottomLine);
            }
        }
        foreach (var escalation in bottomLines.SelectMany(b => b.Escalations))
            if (escalation is { ResolvedAt: null, AcknowledgedAt: null, PassedToBackupAt: null } && escalation.AcknowledgeBy <= until)
                yield return new AcknowledgeDeadline(escalation.AcknowledgeBy, escalation);
    }

    /// <summary>
    /// Time passes until <paramref name="now"/>: whatever became due happens, earliest first, recorded now but dated when it
    /// happened. (Things due at the same moment are independent of each other's order for everything compared.)
    /// </summary>
    public void CatchUp(DateTimeOffset now)
    {
        while (Pending(now).MinBy(d => d.At) is { } next)
        {
            switch (next)
            {
                case CheckInDue missed:
                    agreements[missed.Agreement].Missed.Add(missed.Occurrence);
                    Record(new Breach(BreachKind.Missed, missed.Agreement, missed.Occurrence, missed.At, null), now);
                    break;
                case SilenceEnds silence:
                    Cross(silence.BottomLine, silence.At, now);
                    break;
                case AcknowledgeDeadline deadline:
                    deadline.Escalation.PassedToBackupAt = now;
                    break;
            }
        }
    }

    /// <summary>The next moment something is due (for steps that move the clock onto a deadline).</summary>
    public DateTimeOffset? NextDue(DateTimeOffset now) => Pending(now.AddDays(60)).Select(d => (DateTimeOffset?)d.At).Min();

    public DateTimeOffset? NextAcknowledgeBy() =>
        bottomLines.SelectMany(b => b.Escalations).Where(e => e is { ResolvedAt: null, AcknowledgedAt: null, PassedToBackupAt: null })
            .Select(e => (DateTimeOffset?)e.AcknowledgeBy).Min();

    // ---- Breaches, crossings, escalations ----

    private void Record(Breach breach, DateTimeOffset now)
    {
        breaches.Add(breach);
        if (state != PlanState.Active) return;
        foreach (var bottomLine in bottomLines.Where(b => !b.Removed && b.Open is null && b.Counts(breach.Date) && IsCrossedBy(b, breach)))
            Cross(bottomLine, breach.Date, now);
    }

    private bool IsCrossedBy(BottomLine bottomLine, Breach breach)
    {
        var rule = bottomLine.Spec;
        bool Concerns(Breach b) => bottomLine.Agreement is null || b.Agreement == bottomLine.Agreement;
        switch (rule.Kind)
        {
            case RuleKind.AnyBreach:
                return breach.Agreement == bottomLine.Agreement;
            case RuleKind.Concern:
                return breach.Kind == BreachKind.Concern && SeverityRank(breach.Severity!.Value) >= SeverityRank(rule.MinSeverity);
            case RuleKind.Breaches:
            {
                if (!Concerns(breach)) return false;
                var counting = breaches.Where(b => Concerns(b) && bottomLine.Counts(b.Date)).Select(b => b.Date).ToList();
                // Some Count of them lie less than Within apart: counted from the earliest of them.
                return counting.Any(first => counting.Count(d => d >= first && d - first < rule.Within) >= rule.Count);
            }
            case RuleKind.MissedInARow:
                return breach.Kind == BreachKind.Missed && Concerns(breach) && MissedRun(bottomLine, breach) >= rule.Count;
            default:
                return false;
        }
    }

    private static int SeverityRank(Severity severity) => severity switch { Severity.Low => 1, Severity.Medium => 2, _ => 3 };

    /// <summary>
    /// The run of consecutive missed occurrences, by occurrence time, that the new miss is in: every settled occurrence of
    /// the agreements in view, in order; a reported one ends the run (so does a miss from before the last resolution),
    /// open ones are not in the list at all.
    /// </summary>
    private int MissedRun(BottomLine bottomLine, Breach miss)
    {
        var settled = new List<(DateTimeOffset Occurrence, bool Counts, bool IsTheNewMiss)>();
        for (var i = 0; i < agreements.Count; i++)
        {
            if (bottomLine.Agreement is { } only && only != i) continue;
            var agreement = agreements[i];
            settled.AddRange(agreement.Outcomes.Keys.Select(o => (o, false, false)));
            settled.AddRange(agreement.Missed.Select(o => (o, bottomLine.Counts(o + agreement.Grace), i == miss.Agreement && o == miss.Occurrence)));
        }
        // At one moment, reports before misses (domain: a report cannot hide a miss that happened at the same time).
        settled.Sort((x, y) => x.Occurrence != y.Occurrence ? x.Occurrence.CompareTo(y.Occurrence) : x.Counts.CompareTo(y.Counts));
        var at = settled.FindIndex(s => s.IsTheNewMiss);
        var run = 1;
        for (var i = at - 1; i >= 0 && settled[i].Counts; i--) run++;
        for (var i = at + 1; i < settled.Count && settled[i].Counts; i++) run++;
        return run;
    }

    private void Cross(BottomLine bottomLine, DateTimeOffset date, DateTimeOffset now)
    {
        bottomLine.Crossings.Add(date);
        bottomLine.Escalations.Add(new Escalation(now, now + bottomLine.Spec.AcknowledgeWithin));
    }

    // ---- Commands (each after CatchUp(now), as the server catches up before every command) ----

    public Answer CheckIn(int member, bool byProfessional, int agreementIndex, CheckInOutcome outcome, bool withNote,
        DateTimeOffset? named, string clientId, DateTimeOffset now)
    {
        if (receipts.TryGetValue((member, clientId), out var earlier))
            return earlier.IsCheckIn ? earlier.Answer with { Kind = AnswerKind.Repeated } : new Answer(AnswerKind.Conflict);
        if (state != PlanState.Active) return new Answer(AnswerKind.Conflict);
        var index = agreementIndex % agreements.Count;
        var agreement = agreements[index];
        if (!agreement.MayBeReportedOnBy(member)) return new Answer(AnswerKind.Forbidden);
        if (agreement.WithdrawnAt is not null) return new Answer(AnswerKind.Conflict);

        bool IsOpen(DateTimeOffset o) => now >= o - agreement.ReportFrom && now < o + agreement.Grace;
        DateTimeOffset occurrence;
        if (named is { } n)
        {
            if (!Occurrences(agreement, n).Contains(n)) return new Answer(AnswerKind.Invalid);
            if (now < n - agreement.ReportFrom) return new Answer(AnswerKind.Conflict); // never booked before its window
            occurrence = n;
        }
        else
        {
            var open = Occurrences(agreement, now + agreement.ReportFrom).Where(IsOpen).ToList();
            var past = Occurrences(agreement, now).ToList();
            if (open.Count > 0) occurrence = open.Where(o => !agreement.IsSettled(o)).DefaultIfEmpty(open[^1]).First();
            else if (past.Count > 0) occurrence = past[^1];
            else return new Answer(AnswerKind.Conflict);
        }
        var late = now >= occurrence + agreement.Grace;
        var correction = late && byProfessional && withNote;

        checkIns.Add(now);
        var answer = new Answer(AnswerKind.Accepted, occurrence, late);
        receipts[(member, clientId)] = new Receipt(true, answer);
        var wasReported = agreement.Outcomes.ContainsKey(occurrence) && !agreement.Missed.Contains(occurrence);
        if (late)
        {
            agreement.LateReports++;
            if (!correction || !wasReported) return answer; // a late report never erases a miss, nor adds a breach
        }
        agreement.Outcomes[occurrence] = outcome;
        var hasBreach = breaches.Any(b => b.Agreement == index && b.Occurrence == occurrence);
        if (outcome == CheckInOutcome.NotKept && !hasBreach)
            Record(new Breach(BreachKind.NotKept, index, occurrence, occurrence, null), now);
        return answer;
    }

    public Answer RaiseConcern(int member, Severity severity, string clientId, DateTimeOffset now)
    {
        if (receipts.TryGetValue((member, clientId), out var earlier))
            return earlier.IsCheckIn ? new Answer(AnswerKind.Conflict) : earlier.Answer with { Kind = AnswerKind.Repeated };
        if (state == PlanState.Closed) return new Answer(AnswerKind.Conflict);
        receipts[(member, clientId)] = new Receipt(false, new Answer(AnswerKind.Accepted));
        Record(new Breach(BreachKind.Concern, null, null, now, severity), now);
        return new Answer(AnswerKind.Accepted);
    }

    /// <summary>Whether bottom line <paramref name="index"/> has raised an escalation to respond to (its latest).</summary>
    public bool HasEscalation(int index) => bottomLines[index].Escalations.Count > 0;

    public Answer Respond(int index, bool resolve, string professional, DateTimeOffset now)
    {
        var escalation = bottomLines[index].Escalations[^1];
        if (professional is not ("anna" or "bart")) return new Answer(AnswerKind.Forbidden);
        if (escalation.ResolvedAt is not null || (!resolve && escalation.AcknowledgedAt is not null)) return new Answer(AnswerKind.Repeated);
        escalation.AcknowledgedAt ??= now;
        if (resolve) escalation.ResolvedAt = now;
        return new Answer(AnswerKind.Accepted);
    }

    public Answer Evaluate(bool close, DateTimeOffset now)
    {
        if (state != PlanState.Active) return new Answer(AnswerKind.Conflict);
        if (close && bottomLines.Any(b => b.Open is not null)) return new Answer(AnswerKind.Conflict);
        if (close) state = PlanState.Closed;
        else evaluationDue = AmsterdamWallClock.LocalDate(now).AddDays(42);
        return new Answer(AnswerKind.Accepted);
    }

    // ---- What the driver asks to build its steps ----

    /// <summary>The time a generated check-in names, read from the model's own schedule; null to name none.</summary>
    public DateTimeOffset? Name(int agreementIndex, Naming naming, DateTimeOffset now)
    {
        if (agreements.Count == 0 || agreedAt is null) return null;
        var agreement = agreements[agreementIndex % agreements.Count];
        var past = Occurrences(agreement, now).ToList();
        var next = OccurrencesAfter(agreement, now).Cast<DateTimeOffset?>().FirstOrDefault();
        return naming switch
        {
            Naming.Latest => past.Count > 0 ? past[^1] : null,
            Naming.OneBeforeLatest => past.Count > 1 ? past[^2] : null,
            Naming.Next => next,
            Naming.NotOnTheSchedule => (next ?? now).AddMinutes(7),
            Naming.BeforeTheAgreementStarts => ScheduledTimes(agreement.Spec.Schedule, Start(agreement).AddDays(-8), Start(agreement)).Cast<DateTimeOffset?>().LastOrDefault(),
            _ => null,
        };
    }

    /// <summary>The first of an agreement's occurrences whose <paramref name="moment"/> is after <paramref name="now"/>.</summary>
    public DateTimeOffset? NextMoment(int agreementIndex, Func<TimeSpan, TimeSpan, DateTimeOffset, DateTimeOffset> moment, DateTimeOffset now)
    {
        if (agreements.Count == 0) return null;
        var agreement = agreements[agreementIndex % agreements.Count];
        return OccurrencesAfter(agreement, now.AddDays(-8)).Select(o => moment(agreement.ReportFrom, agreement.Grace, o))
            .Where(m => m > now).Cast<DateTimeOffset?>().FirstOrDefault();
    }

    // ---- What it shows ----

    public Observed Observe(DateTimeOffset now)
    {
        var anyOpen = bottomLines.Any(b => b.Open is not null);
        var recent = breaches.Any(b => b.Date > now - TimeSpan.FromDays(14));
        var overdue = state == PlanState.Active && evaluationDue is { } due && AmsterdamWallClock.LocalDate(now) > due;
        // Reachability (domain.md): a member responsible for an agreement in force (not withdrawn, an occurrence to come), whom no message reaches.
        var unreachable = state == PlanState.Active
            && agreements.Any(a => a.WithdrawnAt is null && Family.Emails[a.Spec.Responsible] is null && OccurrencesAfter(a, now, days: 800).Any());
        var colour = anyOpen ? StatusColour.Red : recent || overdue || unreachable ? StatusColour.Amber : StatusColour.Green;
        return new Observed(state, colour,
            breaches.Select(b => Observed.Breach(b.Kind, b.Agreement, b.Occurrence, b.Date, b.Severity)).ToList(),
            bottomLines.Select(b => new BottomLineSeen(b.Crossings.ToList(),
                b.Escalations.Select(e => new EscalationSeen(e.RaisedAt, e.AcknowledgeBy, e.AcknowledgedAt, e.PassedToBackupAt, e.ResolvedAt)).ToList())).ToList(),
            agreements.Select(a => new AgreementSeen(
                Occurrences(a, a.WithdrawnAt is { } withdrawn && withdrawn < now ? withdrawn : now).Count(),
                a.Outcomes.Count(o => o.Value == CheckInOutcome.Kept && !a.Missed.Contains(o.Key)),
                a.Outcomes.Count(o => o.Value == CheckInOutcome.Partly && !a.Missed.Contains(o.Key)),
                a.Outcomes.Count(o => o.Value == CheckInOutcome.NotKept && !a.Missed.Contains(o.Key)),
                a.Missed.Count, a.LateReports)).ToList());
    }
}
