using System.Collections;
using System.Reflection;
using System.Text.Json;
using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// <see cref="Plan.Copy"/>, which a decision applies its own events to (Scheduling/Sweep.cs): the same facts, and
/// nothing shared that can change. Checked by reflection over every field, so a collection or mutable part added to the
/// plan and not copied fails here.
/// </summary>
public sealed class when_a_plan_is_copied
{
    private static readonly DateTimeOffset Occurrence = new(2027, 1, 4, 15, 0, 0, TimeSpan.FromHours(1));
    private static readonly Guid Escalation = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly Guid Link = Guid.Parse("55555555-5555-5555-5555-555555555555");
    private static readonly Guid Audit = Guid.Parse("66666666-6666-6666-6666-666666666666");

    /// <summary>A plan with something in every list it holds, and its time-zone cache filled.</summary>
    private static Plan Sample()
    {
        var plan = Active(new BottomLineRule(RuleKind.AnyBreach, PickUp));
        var bottomLine = plan.BottomLines.Single().Id;
        var breach = Guid.NewGuid();
        var key = Notify.Key(NotificationSubject.EscalationRaised, Escalation.ToString(), "anna", NotificationChannel.Email);
        plan.With(
        [
            new SafetyGoalSet(Guid.NewGuid(), "Gevaar", "Doel", Monday),
            new AgreementMade(Guid.NewGuid(), "Oma belt", Oma, null, new Schedule(Weekly: [DayOfWeek.Monday], At: new TimeOnly(19, 0)),
                TimeSpan.FromHours(1), Monday, Reporters: [Oma], Watchers: [Oma]),
            new CheckInLogged(Guid.NewGuid(), "c1", PickUp, Oma, CheckInOutcome.NotKept, "Te laat", Occurrence, Occurrence),
            new CheckInLogged(Guid.NewGuid(), "c2", PickUp, Oma, CheckInOutcome.Kept, null, Occurrence, Occurrence.AddDays(1), Late: true),
            new BreachRecorded(breach, BreachKind.NotKept, PickUp, Guid.NewGuid(), null, Occurrence, Occurrence, Occurrence),
            new BottomLineCrossed(bottomLine, breach, "any breach", Occurrence),
            new EscalationRaised(Escalation, bottomLine, "Plan", "Ingrijpen", "any breach", "anna", "bart", Occurrence.AddHours(4), Occurrence),
            new NotificationQueued(key, NotificationSubject.EscalationRaised, Escalation.ToString(), "anna", null, NotificationChannel.Email, Occurrence),
            new NotificationFailed(key, 1, "451 later", Occurrence.AddMinutes(1), Occurrence),
            new EscalationPassedToBackup(Escalation, "bart", Occurrence.AddHours(4)),
            new EscalationPassedToDuty(Escalation, "dirk", Occurrence.AddHours(8)),
            new MonitoringHandedOver("anna", "bart", "carla", "bart", "Overdracht", Occurrence.AddHours(9), [Escalation]),
            new SafetyRated(Guid.NewGuid(), "r1", Oma, 7, null, Occurrence),
            new PersonalLinkIssued(Link, Oma, "anna", Occurrence.AddDays(30), Occurrence),
            new MemberPushSubscribed(Oma, "5f0c", Occurrence),
            new EvaluationReminderDue(new DateOnly(2027, 3, 1), 7, Occurrence),
            new EvaluationOverdue(new DateOnly(2027, 3, 1), Occurrence),
            new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Continue, "Gaat goed", new DateOnly(2027, 4, 12), 1, Occurrence),
            new ReferralRecorded("Veilig Thuis", new DateOnly(2026, 12, 1), 42, new DateOnly(2027, 1, 12), Occurrence),
            new ConferenceSessionHeld(Guid.NewGuid(), new DateOnly(2027, 1, 4), [Oma], ["anna"], "Eerste sessie", Occurrence),
            new CaseAuditOpened(Audit, "anna", "aud", new CaseAuditFacts(1, 5, 0.5, 0, 1, 0), 20, Occurrence),
            new CaseAuditWritten(Audit, [new CaseAuditAnswer("family-heard", 4, "Goed")], "Reflectie", "Leerpunten", 1, "anna", Occurrence),
            new CaseAuditSigned(Audit, "anna", 1, Occurrence),
        ]);
        plan.TenantId = "organisation-a";
        plan.Zone();
        return plan;
    }

    [Fact]
    public void the_sample_has_something_in_every_kind_of_list_the_plan_holds()
    {
        // Per field: every list field (of the plan, an agreement, ...) holds something in at least one instance.
        var filled = new Dictionary<string, bool>();
        Walk(Sample(), "Plan", (value, field) =>
        {
            if (value is IEnumerable items and not string)
                filled[field] = filled.GetValueOrDefault(field) || items.Cast<object>().Any();
        });
        filled.Count.ShouldBeGreaterThan(10);
        filled.Where(f => !f.Value).Select(f => f.Key).ShouldBeEmpty("fill these in Sample(), so that copying them is checked");
    }

    [Fact]
    public void the_copy_equals_the_original_and_shares_nothing_that_can_change()
    {
        var original = Sample();

        var problems = new List<string>();
        Compare(original, original.Copy(), "plan", problems);

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void changing_the_copy_leaves_the_original_as_it_was()
    {
        var original = Sample();
        var before = JsonSerializer.Serialize(original);
        var copy = original.Copy();

        copy.With(
        [
            new CheckInLogged(Guid.NewGuid(), "c3", PickUp, Oma, CheckInOutcome.Kept, null, Occurrence.AddDays(1), Occurrence.AddDays(1)),
            new CheckInMissed(PickUp, Occurrence.AddDays(2), Occurrence.AddDays(2).AddHours(4), Occurrence.AddDays(3)),
            new AgreementWithdrawn(PickUp, "Klaar", Occurrence.AddDays(3)),
            new EscalationAcknowledged(Escalation, "anna", null, Occurrence.AddDays(3)),
            new EscalationResolved(Escalation, "anna", "Opgelost", Occurrence.AddDays(3)),
            new NotificationSent(copy.Deliveries.Keys.Single(), "anna@example.org", Occurrence.AddDays(3)),
            new PersonalLinkUsed(Link, Oma, Occurrence.AddDays(3)),
            new PersonalLinkRevoked(Link, "anna", "Verloren", Occurrence.AddDays(3)),
            new MemberRemoved(Oma, "Verhuisd", Occurrence.AddDays(3)),
            new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Close, "Klaar", null, 2, Occurrence.AddDays(4)),
            new PersonalDataMasked("Privacy:RetainAfterClose=P20Y", Occurrence.AddDays(4), 30, "a", "b", Occurrence.AddDays(5)),
        ]);
        copy.EvaluationReminderDays.Add(3);
        copy.Goals.Single().Text = "Anders";

        JsonSerializer.Serialize(copy).ShouldNotBe(before);
        JsonSerializer.Serialize(original).ShouldBe(before);
    }

    /// <summary>Field by field: leaves equal, and no mutable object (a collection, or one with a field that can be set) the same instance.</summary>
    private static void Compare(object? original, object? copy, string path, List<string> problems)
    {
        if (original is null || copy is null)
        {
            if (original is not null || copy is not null) problems.Add($"{path}: {original ?? "null"} became {copy ?? "null"}");
            return;
        }
        var type = original.GetType();
        if (copy.GetType() != type)
        {
            problems.Add($"{path}: a {type.Name} became a {copy.GetType().Name}");
            return;
        }
        if (IsLeaf(type))
        {
            if (!original.Equals(copy)) problems.Add($"{path}: {original} became {copy}");
            return;
        }
        if (!type.IsValueType && ReferenceEquals(original, copy))
        {
            // Sharing what cannot change (an event kept as it was, a schedule) is safe, and it is equal to itself.
            if (IsMutable(type)) problems.Add($"{path}: the copy shares this {type.Name} with the original (copy it in Plan.Copy)");
            return;
        }
        if (original is IEnumerable items)
        {
            var (a, b) = (items.Cast<object?>().ToList(), ((IEnumerable)copy).Cast<object?>().ToList());
            if (a.Count != b.Count) problems.Add($"{path}: {a.Count} items became {b.Count}");
            else for (var i = 0; i < a.Count; i++) Compare(a[i], b[i], $"{path}[{i}]", problems);
            return;
        }
        foreach (var field in Fields(type)) Compare(field.GetValue(original), field.GetValue(copy), $"{path}.{field.Name}", problems);
    }

    /// <summary>Every object reachable from <paramref name="value"/>, with the field that holds it (its declaring type and name).</summary>
    private static void Walk(object? value, string field, Action<object, string> visit)
    {
        if (value is null || IsLeaf(value.GetType())) return;
        visit(value, field);
        if (value is IEnumerable items)
        {
            foreach (var item in items) Walk(item, $"{field}[]", visit);
            return;
        }
        foreach (var f in Fields(value.GetType())) Walk(f.GetValue(value), $"{f.DeclaringType!.Name}.{f.Name}", visit);
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly)
        || type == typeof(TimeSpan) || type == typeof(TimeZoneInfo);

    /// <summary>A collection, or a type with an instance field that can be set after construction (init-only fields cannot).</summary>
    private static bool IsMutable(Type type) =>
        typeof(IEnumerable).IsAssignableFrom(type) || Fields(type).Any(f => !f.IsInitOnly);

    private static IEnumerable<FieldInfo> Fields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                yield return field;
    }
}
