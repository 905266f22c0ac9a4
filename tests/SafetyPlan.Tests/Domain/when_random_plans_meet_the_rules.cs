using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using SafetyPlan.Agreements;
using SafetyPlan.Auth;
using SafetyPlan.BottomLines;
using SafetyPlan.Decisions;
using SafetyPlan.Escalations;
using SafetyPlan.Evaluations;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using SafetyPlan.Scheduling;
using Xunit.Abstractions;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// Model-based: random plans (schedules of every kind, on the nights summer time starts and ends), random reports,
/// concerns, responses to escalations, evaluations and clock moves from seconds to weeks are driven through the product's
/// own decisions (each command after the catch-up the server does first) and through <see cref="ReferenceModel"/>;
/// after every step both must show the same answer, breaches, crossings, escalations, counts and status colour.
/// The seed is fixed (override with SAFETYPLAN_MODEL_SEED, and the number of plans with SAFETYPLAN_MODEL_CASES) so a
/// failure reproduces; FsCheck shrinks a failing plan to a short one before it reports it.
/// </summary>
public sealed class when_random_plans_meet_the_rules(ITestOutputHelper output)
{
    public const ulong DefaultSeed = 20261129;
    public const int DefaultCases = 300;

    [Fact]
    public void the_products_decisions_agree_with_the_reference_model()
    {
        // "seed" or "seed,gamma" (the pair FsCheck prints after "Falsifiable, after n tests").
        var given = Environment.GetEnvironmentVariable("SAFETYPLAN_MODEL_SEED") is { Length: > 0 } s ? s.Split(',').Select(p => ulong.Parse(p.Trim(' ', '(', ')'), CultureInfo.InvariantCulture)).ToArray() : [DefaultSeed];
        var rnd = given.Length > 1 ? new Rnd(given[0], given[1]) : new Rnd(given[0]);
        var cases = Environment.GetEnvironmentVariable("SAFETYPLAN_MODEL_CASES") is { Length: > 0 } n ? int.Parse(n, CultureInfo.InvariantCulture) : DefaultCases;
        output.WriteLine($"seed {string.Join(",", given)}, {cases} plans (SAFETYPLAN_MODEL_SEED, SAFETYPLAN_MODEL_CASES)");
        var tally = new Tally();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var property = Prop.ForAll(RandomPlans.Arbitrary, plan => new PlanDriver(plan, tally).Run());
        var config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(rnd, FSharpOption<int>.None)));
        try
        {
            Check.One(config, property);
        }
        finally
        {
            output.WriteLine($"{started.Elapsed.TotalSeconds:0.0} s; {tally}");
        }
        tally.Plans.ShouldBeGreaterThanOrEqualTo(cases);
    }
}

/// <summary>What the generated plans did, to show that every rule was exercised.</summary>
public sealed class Tally
{
    public int Plans, Steps;
    private readonly SortedDictionary<string, int> counts = new(StringComparer.Ordinal);

    public void Count(string what) => counts[what] = counts.GetValueOrDefault(what) + 1;

    public override string ToString() => $"{Plans} plans, {Steps} steps: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));
}

/// <summary>Drives one generated plan through the product's decisions and the reference model side by side.</summary>
public sealed class PlanDriver(PlanCase plan, Tally tally)
{
    private static readonly Guid PlanId = Guid.Parse("5afe0000-0000-0000-0000-000000000001");
    private static readonly Caller Monitor = Professional(0);

    private readonly Plan real = new();
    private readonly List<object> appended = [];
    private readonly ReferenceModel model = new();
    private readonly Dictionary<(Guid Member, string ClientId), Receipt> receipts = new();
    private readonly List<Guid> agreementIds = [];
    private readonly List<AgreementSpec> agreementSpecs = [];
    private readonly List<Guid> bottomLineIds = [];
    private readonly StringBuilder trace = new();
    private DateTimeOffset now;
    private int ids;
    private string detail = "";
    private int lastMovedTo;

    private static Caller Professional(int index) => new(Family.Professionals[index], new HashSet<string> { Caller.Professional }, null, "en");
    private static Caller MemberCaller(int member) => new(Family.Names[member], new HashSet<string> { $"{Caller.MemberPrefix}{Family.Ids[member]}" }, Family.Ids[member], "nl");
    private Guid NewId() => new(++ids, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    public bool Run()
    {
        tally.Plans++;
        trace.AppendLine(plan.ToString()).AppendLine("what happened:");
        SetUp();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            tally.Steps++;
            var step = plan.Steps[i];
            detail = "";
            var (product, expected) = Take(step, i);
            trace.AppendLine(CultureInfo.InvariantCulture, $"  {Observed.Time(now)} step {i}: {step}{detail} -> {product?.ToString() ?? "(nothing to do)"}");
            if (product is not null) tally.Count($"{step.GetType().Name} {product.Kind}{(real.State == PlanState.Closed ? " (closed)" : "")}");
            if (product != expected) Disagree($"step {i} ({step}) was answered {product}, the model says {expected}");
            Compare($"after step {i}");
        }
        foreach (var e in appended)
        {
            switch (e)
            {
                case BreachRecorded b: tally.Count($"breach {b.Kind}"); break;
                case BottomLineCrossed c: tally.Count($"crossed {real.FindBottomLine(c.BottomLineId)!.Rule.Kind}"); break;
                case EscalationPassedToBackup: tally.Count("passed to backup"); break;
                case EscalationResolved: tally.Count("resolved"); break;
                case CheckInLogged { Correction: true }: tally.Count("late correction"); break;
                case CheckInLogged { Late: true }: tally.Count("late report"); break;
                case CheckInLogged: tally.Count("report in window"); break;
                case EvaluationRecorded { Outcome: EvaluationOutcome.Close }: tally.Count("closed"); break;
            }
        }
        if (real.Agreements.Any(a => a.Schedule.Daily is { Hour: 2 } || a.Schedule.At is { Hour: 2 } || a.Schedule.Once is { Hour: 2 })
            && appended.OfType<IPlanEvent>().Any(e => e.At.Month is 3 or 10 && e.At.Day >= 28)) tally.Count("02:xx over a summer-time night");
        return true;
    }

    private void SetUp()
    {
        now = plan.DraftedAt;
        Append(DraftPlan.Decide(new DraftPlan(PlanId, "Plan", "Jansen", "anna", "bart", "Europe/Amsterdam", Monitor), now).Events);
        for (var m = 0; m < Family.Names.Length; m++)
            Append(AddMember.Decide(real, new AddMember(PlanId, Family.Ids[m], Family.Names[m], Family.Roles[m], Family.Emails[m], null, Monitor), now).Events);
        foreach (var agreement in plan.Agreements)
        {
            now = now.AddMinutes(1);
            var (product, expected) = Make(agreement);
            if (product != expected) Disagree($"making {agreement} was answered {product}, the model says {expected}");
        }
        foreach (var bottomLine in plan.BottomLines)
        {
            now = now.AddMinutes(1);
            var (product, expected) = Set(bottomLine);
            if (product != expected) Disagree($"setting {bottomLine} was answered {product}, the model says {expected}");
        }
        now = plan.DraftedAt + plan.AgreedAfter;
        var due = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, real.Zone()).DateTime).AddDays(56);
        var agreed = AgreePlan.Decide(real, new AgreePlan(PlanId, due, Monitor), now);
        agreed.Accepted.ShouldBeTrue();
        Append(agreed.Events);
        model.Agree(due, now);
        trace.AppendLine(CultureInfo.InvariantCulture, $"  {Observed.Time(now)} agreed");
        Compare("when agreed");
    }

    private void Append(IEnumerable<object> events)
    {
        var list = events.ToList();
        real.With(list);
        appended.AddRange(list);
    }

    /// <summary>What time passing records: the sweep at the new time only, whatever the step, as the manual clock runs it.</summary>
    private void PassTime(DateTimeOffset to)
    {
        now = to;
        CatchUp();
    }

    /// <summary>The catch-up every command starts with on the server (PlanStreams.Decide).</summary>
    private void CatchUp()
    {
        if (Sweep.HasWorkDue(real, now)) Append(Sweep.Decide(real, now).Events);
        model.CatchUp(now);
    }

    private static Answer Of<T>(Decision<T> decision, Func<T, Answer>? accepted = null) => decision switch
    {
        { Rejection: { } r } => new Answer(r.Kind switch
        {
            RejectionKind.Invalid => AnswerKind.Invalid,
            RejectionKind.Forbidden => AnswerKind.Forbidden,
            RejectionKind.NotFound => AnswerKind.NotFound,
            _ => AnswerKind.Conflict,
        }),
        { Repeated: true } => (accepted?.Invoke(decision.Result!) ?? new Answer(AnswerKind.Accepted)) with { Kind = AnswerKind.Repeated },
        _ => accepted?.Invoke(decision.Result!) ?? new Answer(AnswerKind.Accepted),
    };

    private (Answer? Product, Answer? Model) Take(Step step, int index)
    {
        switch (step)
        {
            case TimePasses passes:
                PassTime(now + passes.By);
                return (null, null);
            case ClockReaches reaches:
            {
                if (reaches.Moment is Moment.WindowOpens or Moment.Occurrence or Moment.WindowCloses) lastMovedTo = reaches.Agreement;
                var target = reaches.Moment switch
                {
                    Moment.WindowOpens => model.NextMoment(reaches.Agreement, (from, _, o) => o - from, now),
                    Moment.Occurrence => model.NextMoment(reaches.Agreement, (_, _, o) => o, now),
                    Moment.WindowCloses => model.NextMoment(reaches.Agreement, (_, grace, o) => o + grace, now),
                    Moment.AcknowledgeBy => model.NextAcknowledgeBy(),
                    _ => model.NextDue(now),
                };
                var to = target?.AddSeconds(reaches.Seconds) is { } t && t > now ? t : now.AddMinutes(1);
                PassTime(to);
                return (null, null);
            }
            case ChecksIn checkIn:
                CatchUp();
                return CheckIn(checkIn, index);
            case RaisesConcern concern:
            {
                CatchUp();
                var clientId = ClientId(concern.ClientId, index);
                var member = Family.Ids[concern.Member];
                var decision = RaiseConcern.Decide(real, new RaiseConcern(PlanId, NewId(), clientId, member, "Zorg", concern.Severity,
                    concern.ByProfessional ? Monitor : MemberCaller(concern.Member)), now, receipts.GetValueOrDefault((member, clientId)));
                Accept(decision, member, clientId);
                return (Of(decision), model.RaiseConcern(concern.Member, concern.Severity, clientId, now));
            }
            case RespondsToEscalation respond:
            {
                CatchUp();
                if (model.BottomLineCount == 0) return (null, null);
                var line = respond.BottomLine % model.BottomLineCount;
                detail = $" [bottom line {line}]";
                var escalation = real.Escalations.LastOrDefault(e => e.BottomLineId == bottomLineIds[line]);
                if (!model.HasEscalation(line))
                    return (escalation is null ? null : new Answer(AnswerKind.Accepted), null);
                if (escalation is null) return (null, new Answer(AnswerKind.Accepted));
                var decision = RespondToEscalation.Decide(real, new RespondToEscalation(PlanId, escalation.Id, respond.Resolve,
                    respond.Resolve ? "Gesprek met het netwerk gevoerd" : null, Professional(respond.Professional)), now);
                if (decision is { Accepted: true, Repeated: false }) Append(decision.Events);
                return (Of(decision), model.Respond(line, respond.Resolve, Family.Professionals[respond.Professional], now));
            }
            case Evaluates evaluation:
            {
                CatchUp();
                var decision = RecordEvaluation.Decide(real, new RecordEvaluation(PlanId, NewId(),
                    evaluation.Close ? EvaluationOutcome.Close : EvaluationOutcome.Continue, "Evaluatie", null, Monitor), now);
                if (decision.Accepted) Append(decision.Events);
                return (Of(decision), model.Evaluate(evaluation.Close, now));
            }
            case MakesAgreement made:
                CatchUp();
                return Make(made.Agreement);
            case SetsBottomLine set:
                CatchUp();
                return Set(set.BottomLine);
            case WithdrawsAgreement withdrawal:
            {
                CatchUp();
                var agreement = withdrawal.Agreement % agreementIds.Count;
                detail = $" [a{agreement}]";
                var decision = WithdrawAgreement.Decide(real, new WithdrawAgreement(PlanId, agreementIds[agreement], "Niet meer nodig", Monitor), now);
                if (decision.Accepted) Append(decision.Events);
                return (Of(decision), model.WithdrawAgreement(agreement, now));
            }
            case RemovesBottomLine removal:
            {
                CatchUp();
                if (model.BottomLineCount == 0) return (null, null);
                var line = removal.BottomLine % model.BottomLineCount;
                detail = $" [bottom line {line}]";
                var decision = RemoveBottomLine.Decide(real, new RemoveBottomLine(PlanId, bottomLineIds[line], "Bijgesteld", Monitor), now);
                if (decision.Accepted) Append(decision.Events);
                return (Of(decision), model.RemoveBottomLine(line, now));
            }
            default:
                throw new InvalidOperationException($"unknown step {step}");
        }
    }

    private static string ClientId(int pooled, int step) => pooled < 0 ? $"fresh-{step}" : $"c{pooled}";

    private void Accept(Decision<Receipt> decision, Guid member, string clientId)
    {
        if (decision is not { Accepted: true, Repeated: false }) return;
        Append(decision.Events);
        receipts[(member, clientId)] = decision.Result!; // as the receipt document the report's event projects
    }

    private (Answer, Answer) CheckIn(ChecksIn step, int index)
    {
        if (agreementIds.Count == 0) throw new InvalidOperationException("a plan is agreed with at least one agreement");
        var agreement = (step.Agreement < 0 ? lastMovedTo : step.Agreement) % agreementIds.Count;
        var spec = agreementSpecs[agreement];
        var member = step.Member switch
        {
            -1 => spec.Responsible,
            -2 => spec.Reporters.Count > 0 ? spec.Reporters[index % spec.Reporters.Count] : spec.Responsible,
            _ => step.Member,
        };
        var named = model.Name(agreement, step.Naming, now);
        var clientId = ClientId(step.ClientId, index);
        detail = $" [{Family.Names[member]} on a{agreement}{(named is { } o ? $" naming {Observed.Time(o)}" : "")}, clientId {clientId}]";
        var memberId = Family.Ids[member];
        var command = new LogCheckIn(PlanId, NewId(), clientId, agreementIds[agreement], memberId, step.Outcome,
            step.WithNote ? "Navraag gedaan" : null, named, step.ByProfessional ? Monitor : MemberCaller(member));
        var decision = LogCheckIn.Decide(real, command, now, receipts.GetValueOrDefault((memberId, clientId)));
        Accept(decision, memberId, clientId);
        if (named is not null) tally.Count($"named {step.Naming}");
        return (Of(decision, r => new Answer(AnswerKind.Accepted, r.Occurrence, r.Late)),
            model.CheckIn(member, step.ByProfessional, agreement, step.Outcome, step.WithNote, named, clientId, now));
    }

    private (Answer, Answer) Make(AgreementSpec spec)
    {
        var s = spec.Schedule;
        var schedule = s.Kind switch
        {
            ScheduleKind.Daily => new ScheduleRequest(s.At.ToString("HH:mm", CultureInfo.InvariantCulture), null, null, null),
            ScheduleKind.Weekly => new ScheduleRequest(null, s.Days.Select(d => d.ToString().ToLowerInvariant()).ToArray(), s.At.ToString("HH:mm", CultureInfo.InvariantCulture), null),
            _ => new ScheduleRequest(null, null, null, s.OnceOn!.Value.ToDateTime(s.At).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)),
        };
        var id = NewId();
        var decision = MakeAgreement.Decide(real, new MakeAgreement(PlanId, id, "Afspraak", Family.Ids[spec.Responsible], null, schedule,
            spec.Grace, Monitor, spec.Reporters.Select(r => Family.Ids[r]).ToArray(), spec.ReportFrom), now);
        if (decision.Accepted)
        {
            Append(decision.Events);
            agreementIds.Add(id);
            agreementSpecs.Add(spec);
        }
        return (Of(decision), model.MakeAgreement(spec, now));
    }

    private (Answer, Answer) Set(BottomLineSpec spec)
    {
        var expected = model.SetBottomLine(spec, now);
        var agreement = expected.Kind == AnswerKind.Accepted ? model.BottomLineAgreement(model.BottomLineCount - 1) : spec.Agreement % Math.Max(1, agreementIds.Count);
        var rule = spec.Kind switch
        {
            RuleKind.AnyBreach => new BottomLineRule(RuleKind.AnyBreach, agreementIds[agreement!.Value]),
            RuleKind.Breaches => new BottomLineRule(RuleKind.Breaches, agreement is { } a ? agreementIds[a] : null, spec.Count, spec.Within),
            RuleKind.MissedInARow => new BottomLineRule(RuleKind.MissedInARow, agreement is { } b ? agreementIds[b] : null, spec.Count),
            RuleKind.Silence => new BottomLineRule(RuleKind.Silence, For: spec.For),
            _ => new BottomLineRule(RuleKind.Concern, MinSeverity: spec.MinSeverity),
        };
        var id = NewId();
        var decision = SetBottomLine.Decide(real, new SetBottomLine(PlanId, id, "Ingrijpen", rule, spec.AcknowledgeWithin, Monitor), now);
        if (decision.Accepted)
        {
            Append(decision.Events);
            bottomLineIds.Add(id);
        }
        return (Of(decision), expected);
    }

    // ---- What the product shows, in the model's words ----

    private Observed Observe()
    {
        var status = PlanStatusView.Status(real, now);
        int? AgreementIndex(Guid? id) => id is { } i ? agreementIds.IndexOf(i) : null;
        return new Observed(real.State, status.Status,
            real.Breaches.Select(b => Observed.Breach(b.Kind, AgreementIndex(b.AgreementId), b.Occurrence, b.Date, b.Severity)).ToList(),
            bottomLineIds.Select(id => new BottomLineSeen(
                appended.OfType<BottomLineCrossed>().Where(c => c.BottomLineId == id).Select(c => c.OccurredAt ?? c.At).ToList(),
                real.Escalations.Where(e => e.BottomLineId == id)
                    .Select(e => new EscalationSeen(e.RaisedAt, e.AcknowledgeBy, e.AcknowledgedAt, e.PassedToBackupAt, e.ResolvedAt)).ToList())).ToList(),
            status.Agreements.Select(a => new AgreementSeen(a.Due, a.Kept, a.Partly, a.NotKept, a.Missed, a.LateReports.Count)).ToList());
    }

    private void Compare(string when)
    {
        var product = Observe().Lines();
        var expected = model.Observe(now).Lines();
        if (product.SequenceEqual(expected)) return;
        var differences = product.Concat(expected).Distinct()
            .Select(line => (Line: line, Product: product.Count(l => l == line), Model: expected.Count(l => l == line)))
            .Where(d => d.Product != d.Model)
            .Select(d => d.Product == 0 ? $"  model:   {d.Line}\n" : d.Model == 0 ? $"  product: {d.Line}\n" : $"  {d.Product} times in the product, {d.Model} in the model: {d.Line}\n");
        Disagree($"{when} at {Observed.Time(now)} the product and the model differ:\n{string.Concat(differences)}");
    }

    private void Disagree(string what) => throw new ModelDisagreement($"{what}\n{trace}");
}

public sealed class ModelDisagreement(string message) : Exception(message);
