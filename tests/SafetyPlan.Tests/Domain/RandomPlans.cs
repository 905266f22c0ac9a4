using FsCheck;
using FsCheck.Fluent;
using SafetyPlan.BottomLines;
using SafetyPlan.Plans;

namespace SafetyPlan.Tests.Domain;

/// <summary>One generated life of a plan: drafted, set up, agreed, then a few tens of steps.</summary>
public sealed record PlanCase(
    DateTimeOffset DraftedAt, TimeSpan AgreedAfter, IReadOnlyList<AgreementSpec> Agreements, IReadOnlyList<BottomLineSpec> BottomLines,
    IReadOnlyList<Step> Steps)
{
    public override string ToString() =>
        $"drafted {DraftedAt:yyyy-MM-dd'T'HH:mmzzz}, agreed {AgreedAfter} later\n"
        + string.Concat(Agreements.Select((a, i) => $"  agreement a{i}: {a}\n"))
        + string.Concat(BottomLines.Select((b, i) => $"  bottom line {i}: {b}\n"))
        + string.Concat(Steps.Select((s, i) => $"  step {i}: {s}\n"));
}

public abstract record Step;

public sealed record TimePasses(TimeSpan By) : Step
{
    public override string ToString() => $"time passes {By}";
}

public enum Moment { WindowOpens, Occurrence, WindowCloses, AcknowledgeBy, NextDeadline }

/// <summary>The clock moves to a moment that matters (of agreement <see cref="Agreement"/>'s next occurrence, or of the model's next deadline), give or take <see cref="Seconds"/>.</summary>
public sealed record ClockReaches(Moment Moment, int Agreement, int Seconds) : Step
{
    public override string ToString() => $"clock reaches {Moment}{(Moment is Moment.AcknowledgeBy or Moment.NextDeadline ? "" : $" of a{Agreement}")} {Seconds:+0;-0;+0}s";
}

/// <summary>
/// A check-in. <see cref="Member"/>: 0..3 a member of <see cref="Family"/>, -1 the agreement's responsible member, -2 one of
/// its reporters (else the responsible one). <see cref="Agreement"/>: modulo the agreements made so far, or -1 the one the
/// clock last moved to a moment of. <see cref="ClientId"/>: below 0 a fresh one, else one of a small pool.
/// </summary>
public sealed record ChecksIn(int Member, bool ByProfessional, int Agreement, CheckInOutcome Outcome, bool WithNote, Naming Naming, int ClientId) : Step
{
    public override string ToString() =>
        $"{(Member switch { -1 => "responsible", -2 => "reporter", _ => Family.Names[Member] })}{(ByProfessional ? " (by phone to anna)" : "")} reports {Outcome} on {(Agreement < 0 ? "the agreement of the last clock move" : $"a{Agreement}")}"
        + $"{(Naming == Naming.None ? "" : $" naming {Naming}")}{(WithNote ? " with a note" : "")} clientId {(ClientId < 0 ? "fresh" : $"c{ClientId}")}";
}

public sealed record RaisesConcern(int Member, bool ByProfessional, Severity Severity, int ClientId) : Step
{
    public override string ToString() => $"{Family.Names[Member]}{(ByProfessional ? " (by phone to anna)" : "")} raises a {Severity} concern clientId {(ClientId < 0 ? "fresh" : $"c{ClientId}")}";
}

/// <summary>A professional acknowledges or resolves the latest escalation of bottom line <see cref="BottomLine"/> (modulo their number).</summary>
public sealed record RespondsToEscalation(int BottomLine, bool Resolve, int Professional) : Step
{
    public override string ToString() => $"{Family.Professionals[Professional]} {(Resolve ? "resolves" : "acknowledges")} the latest escalation of bottom line {BottomLine}";
}

public sealed record WithdrawsAgreement(int Agreement) : Step
{
    public override string ToString() => $"agreement a{Agreement} is withdrawn";
}

public sealed record RemovesBottomLine(int BottomLine) : Step
{
    public override string ToString() => $"bottom line {BottomLine} is removed";
}

public sealed record Evaluates(bool Close) : Step
{
    public override string ToString() => Close ? "the evaluation closes the plan" : "the evaluation continues the plan";
}

public sealed record MakesAgreement(AgreementSpec Agreement) : Step
{
    public override string ToString() => $"a new agreement: {Agreement}";
}

public sealed record SetsBottomLine(BottomLineSpec BottomLine) : Step
{
    public override string ToString() => $"a new bottom line: {BottomLine}";
}

/// <summary>
/// Generators of plans and their lives. Schedules fall on the nights summer time starts and ends (02:xx on the last Sundays
/// of March and October 2027); agreements get minutes past the hour by their slot (0 and 2 share theirs), so that some
/// occur at the same instant as another (a run of misses puts reports before misses at one moment).
/// </summary>
public static class RandomPlans
{
    private static readonly DateTimeOffset[] Anchors =
    [
        new(2027, 1, 4, 0, 0, 0, TimeSpan.FromHours(1)), // winter
        new(2027, 3, 25, 12, 0, 0, TimeSpan.FromHours(1)), // summer time starts on Sunday 28 March
        new(2027, 10, 28, 12, 0, 0, TimeSpan.FromHours(2)), // summer time ends on Sunday 31 October
        new(2027, 6, 14, 0, 0, 0, TimeSpan.FromHours(2)), // summer
    ];

    private static Gen<T> OneOf<T>(params (int Weight, Gen<T> Gen)[] choices) => Gen.Frequency(choices);

    private static Gen<TimeSpan> Minutes(params int[] minutes) => Gen.Elements(minutes).Select(m => TimeSpan.FromMinutes(m));

    public static Gen<ScheduleSpec> Schedule(DateOnly firstDay, int slot, int earliestOnceDay) =>
        from kind in OneOf((5, Gen.Constant(ScheduleKind.Daily)), (3, Gen.Constant(ScheduleKind.Weekly)), (2, Gen.Constant(ScheduleKind.Once)))
        from hour in OneOf((3, Gen.Elements(2, 3)), (6, Gen.Elements(0, 1, 7, 8, 12, 15, 18, 21, 22, 23)))
        from minute in Gen.Elements(0, 20, 40)
        from days in Gen.Elements(Enum.GetValues<DayOfWeek>()).ArrayOf().Select(d => d.Distinct().Order().ToArray())
        from onceDay in Gen.Choose(earliestOnceDay, 6)
        select new ScheduleSpec(kind, new TimeOnly(hour, minute + slot % 2 * 5),
            kind == ScheduleKind.Weekly ? (days.Length == 0 ? [DayOfWeek.Sunday] : days) : [],
            kind == ScheduleKind.Once ? firstDay.AddDays(onceDay) : null);

    public static Gen<AgreementSpec> Agreement(DateOnly firstDay, int slot, int earliestOnceDay) =>
        from responsible in Gen.Elements(Family.Mother, Family.Oma, Family.Teacher)
        from reporters in Gen.SubListOf(new[] { Family.Mother, Family.Oma, Family.Teacher })
        from schedule in Schedule(firstDay, slot, earliestOnceDay)
        from grace in OneOf((3, Minutes(5, 15, 30)), (4, Minutes(60, 120, 240)), (2, Minutes(24 * 60, 48 * 60)))
        from reportFrom in OneOf((3, Gen.Constant<TimeSpan?>(null)), (3, Minutes(0, 30, 240, 24 * 60).Select(t => (TimeSpan?)t)))
        select new AgreementSpec(responsible, reporters.Where(r => r != responsible).ToArray(), schedule, grace, reportFrom);

    public static readonly Gen<BottomLineSpec> BottomLine =
        from kind in OneOf((2, Gen.Constant(RuleKind.AnyBreach)), (3, Gen.Constant(RuleKind.Breaches)), (3, Gen.Constant(RuleKind.MissedInARow)),
            (2, Gen.Constant(RuleKind.Silence)), (1, Gen.Constant(RuleKind.Concern)))
        from agreement in Gen.Choose(0, 2)
        from ofOne in Gen.Elements(true, false)
        from count in Gen.Choose(1, 3)
        from within in Minutes(60, 12 * 60, 24 * 60, 72 * 60)
        from silence in Minutes(60, 6 * 60, 24 * 60, 48 * 60)
        from severity in Gen.Elements(Severity.Low, Severity.Medium, Severity.High)
        from acknowledgeWithin in Minutes(5, 60, 4 * 60, 24 * 60)
        select new BottomLineSpec(kind, kind == RuleKind.AnyBreach || (ofOne && kind is RuleKind.Breaches or RuleKind.MissedInARow) ? agreement : null,
            count, within, silence, severity, acknowledgeWithin);

    private static readonly Gen<int> ClientId = OneOf((7, Gen.Constant(-1)), (3, Gen.Choose(0, 2)));

    private static readonly Gen<TimeSpan> Passing = OneOf(
        (2, Gen.Choose(1, 59).Select(s => TimeSpan.FromSeconds(s))),
        (6, Gen.Choose(1, 120).Select(m => TimeSpan.FromMinutes(m))),
        (6, Gen.Choose(1, 30).Select(h => TimeSpan.FromHours(h))),
        (2, Gen.Choose(1, 4).Select(d => TimeSpan.FromDays(d))),
        (1, Gen.Choose(1, 3).Select(w => TimeSpan.FromDays(7 * w))));

    private static Gen<Step> Steps(DateOnly firstDay) => OneOf(
        (25, Passing.Select(by => (Step)new TimePasses(by))),
        (20, from moment in OneOf((3, Gen.Constant(Moment.WindowOpens)), (4, Gen.Constant(Moment.Occurrence)), (4, Gen.Constant(Moment.WindowCloses)),
                (2, Gen.Constant(Moment.AcknowledgeBy)), (3, Gen.Constant(Moment.NextDeadline)))
            from agreement in Gen.Choose(0, 3)
            from seconds in Gen.Elements(-1, 0, 0, 1)
            select (Step)new ClockReaches(moment, agreement, seconds)),
        (35, from member in OneOf((10, Gen.Constant(-1)), (3, Gen.Constant(-2)), (6, Gen.Choose(0, 3)))
            from byProfessional in OneOf((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from agreement in OneOf((1, Gen.Constant(-1)), (1, Gen.Choose(0, 3)))
            from outcome in OneOf((3, Gen.Constant(CheckInOutcome.Kept)), (1, Gen.Constant(CheckInOutcome.Partly)), (3, Gen.Constant(CheckInOutcome.NotKept)))
            from withNote in OneOf((3, Gen.Constant(false)), (2, Gen.Constant(true)))
            from naming in OneOf((12, Gen.Constant(Naming.None)), (3, Gen.Constant(Naming.Latest)), (1, Gen.Constant(Naming.OneBeforeLatest)),
                (2, Gen.Constant(Naming.Next)), (1, Gen.Constant(Naming.NotOnTheSchedule)), (1, Gen.Constant(Naming.BeforeTheAgreementStarts)))
            from clientId in ClientId
            select (Step)new ChecksIn(member, byProfessional, agreement, outcome, withNote, naming, clientId)),
        (5, from member in Gen.Choose(0, 3)
            from byProfessional in Gen.Elements(true, false)
            from severity in Gen.Elements(Severity.Low, Severity.Medium, Severity.High)
            from clientId in ClientId
            select (Step)new RaisesConcern(member, byProfessional, severity, clientId)),
        (14, from bottomLine in Gen.Choose(0, 3)
            from resolve in OneOf((2, Gen.Constant(false)), (3, Gen.Constant(true)))
            from professional in OneOf((5, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
            select (Step)new RespondsToEscalation(bottomLine, resolve, professional)),
        (2, Gen.Elements(true, false).Select(close => (Step)new Evaluates(close))),
        (2, Agreement(firstDay, 0, 0).Select(a => (Step)new MakesAgreement(a))),
        (3, BottomLine.Select(b => (Step)new SetsBottomLine(b))),
        (1, Gen.Choose(0, 3).Select(a => (Step)new WithdrawsAgreement(a))),
        (1, Gen.Choose(0, 3).Select(b => (Step)new RemovesBottomLine(b))));

    /// <summary>Gives each agreement minutes past the hour by its slot, the even slots and the odd ones alike; at most four agreements (new ones beyond are dropped).</summary>
    private static PlanCase Slotted(PlanCase plan)
    {
        var slot = plan.Agreements.Count;
        var steps = new List<Step>();
        foreach (var step in plan.Steps)
        {
            if (step is MakesAgreement made)
            {
                if (slot == 4) continue;
                var at = made.Agreement.Schedule.At;
                steps.Add(new MakesAgreement(made.Agreement with { Schedule = made.Agreement.Schedule with { At = new TimeOnly(at.Hour, at.Minute / 20 * 20 + slot++ % 2 * 5) } }));
            }
            else steps.Add(step);
        }
        return plan with { Steps = steps };
    }

    public static readonly Gen<PlanCase> Cases =
        from anchor in Gen.Elements(Anchors)
        from quarters in Gen.Choose(0, 3 * 24 * 4)
        let draftedAt = anchor.AddMinutes(15 * quarters)
        let firstDay = DateOnly.FromDateTime(draftedAt.DateTime)
        from agreedAfter in Gen.Choose(1, 48).Select(h => TimeSpan.FromMinutes(30 * h))
        from agreementCount in Gen.Choose(1, 3)
        from agreements in Gen.CollectToArray(Enumerable.Range(0, agreementCount), slot => Agreement(firstDay, slot, 2))
        from bottomLineCount in Gen.Choose(0, 3)
        from bottomLines in BottomLine.ArrayOf(bottomLineCount)
        from stepCount in Gen.Choose(8, 40)
        from steps in Steps(firstDay).ArrayOf(stepCount)
        select Slotted(new PlanCase(draftedAt, agreedAfter, agreements.ToArray(), bottomLines, steps));

    /// <summary>Smaller cases with the same shape: fewer steps, fewer bottom lines, fewer agreements, shorter waits.</summary>
    public static IEnumerable<PlanCase> Shrink(PlanCase plan)
    {
        for (var i = plan.Steps.Count - 1; i >= 0; i--)
            yield return plan with { Steps = plan.Steps.Where((_, j) => j != i).ToArray() };
        for (var i = 0; i < plan.BottomLines.Count; i++)
            yield return plan with { BottomLines = plan.BottomLines.Where((_, j) => j != i).ToArray() };
        if (plan.Agreements.Count > 1)
            for (var i = 0; i < plan.Agreements.Count; i++)
                yield return plan with { Agreements = plan.Agreements.Where((_, j) => j != i).ToArray() };
        for (var i = 0; i < plan.Steps.Count; i++)
            if (plan.Steps[i] is TimePasses { By.TotalSeconds: > 1 } passes)
                yield return plan with { Steps = plan.Steps.Select((s, j) => j == i ? new TimePasses(TimeSpan.FromSeconds(Math.Floor(passes.By.TotalSeconds / 2))) : s).ToArray() };
    }

    public static Arbitrary<PlanCase> Arbitrary => Arb.From(Cases, Shrink);
}
