using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.History;
using SafetyPlan.Plans;
using SafetyPlan.Privacy;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The checklist for a plan event (docs/events.md, "To add an event"), over every type that implements
/// <see cref="IPlanEvent"/>: a case in <see cref="Plan.Evolve"/>, a description, a masking decision for each of its
/// strings, and a line in docs/events.md. A step forgotten for any event fails here, naming the event and the step.
/// </summary>
public sealed class when_an_event_is_added
{
    private static readonly DateTimeOffset Monday = PlanFixtures.Monday;

    public static TheoryData<string> EveryPlanEvent() => new(PlanEvents.Types.Select(t => t.Name));

    private static Type TypeNamed(string name) => PlanEvents.Types.Single(t => t.Name == name);

    [Fact]
    public void every_event_of_a_plan_is_found()
    {
        // Found by reflection: a sanity floor, so that a broken search cannot make every check below pass on nothing.
        PlanEvents.Types.Count.ShouldBeGreaterThanOrEqualTo(31);
        PlanEvents.Types.ShouldContain(typeof(PlanDrafted));
        PlanEvents.Types.ShouldContain(typeof(PersonalDataMasked));
    }

    [Theory]
    [MemberData(nameof(EveryPlanEvent))]
    public void it_has_a_case_in_evolve(string name)
    {
        var sample = Sample(TypeNamed(name));
        try
        {
            Plan.Evolve(new Plan(), sample);
        }
        catch (UnknownPlanEventException)
        {
            throw;
        }
        catch (Exception)
        {
            // Handled: an empty plan lacks what the event refers to (its agreement, escalation, delivery).
        }
    }

    [Fact]
    public void an_event_evolve_does_not_know_is_refused_not_ignored()
    {
        Should.Throw<UnknownPlanEventException>(() => Plan.Evolve(new Plan(), new object())).EventType.ShouldBe(typeof(object));
        // The old shape is upcast when read (Plans/LegacyEvents.cs), so a plan never sees it.
        var legacy = new NetworkMemberAdded(Guid.NewGuid(), "Oma", MemberRole.Network, "oma@example.org", Monday);
        Should.Throw<UnknownPlanEventException>(() => Plan.Evolve(new Plan(), legacy));
    }

    [Theory]
    [MemberData(nameof(EveryPlanEvent))]
    public void it_has_a_description_in_both_languages(string name)
    {
        var description = EventDescriptions.Describe(Sample(TypeNamed(name)));

        description.En.ShouldNotBeNullOrWhiteSpace();
        description.Nl.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [MemberData(nameof(EveryPlanEvent))]
    public void each_of_its_strings_is_masked_or_declared_not_personal(string name)
    {
        var type = TypeNamed(name);
        var sample = Sample(type);
        var masked = PersonalDataMasking.Apply(sample);
        var notPersonal = PersonalDataMasking.NotPersonal(type);
        masked.GetType().ShouldBe(type);

        var strings = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)).ToList();
        notPersonal.ShouldBeSubsetOf(strings.Select(p => p.Name), $"{name}: only its string properties can be declared not personal");
        foreach (var property in strings)
        {
            var (before, after) = ((string?)property.GetValue(sample), (string?)property.GetValue(masked));
            if (notPersonal.Contains(property.Name))
                after.ShouldBe(before, $"{name}.{property.Name} is declared not personal, so masking keeps it");
            else
                after.ShouldNotBe(before, $"{name}.{property.Name} is neither masked nor declared not personal in Privacy/PersonalDataMasking.cs");
        }
        // Strings inside other values would escape the check above: none may hold any.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType != typeof(string)))
            HoldsStrings(property.PropertyType).ShouldBeFalse($"{name}.{property.Name} holds strings: give masking and this check a way to see them");
    }

    [Theory]
    [MemberData(nameof(EveryPlanEvent))]
    public void docs_events_md_describes_it(string name)
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "events.md"));

        Regex.IsMatch(docs, $@"^\| `{name}` \|", RegexOptions.Multiline).ShouldBeTrue($"docs/events.md has no table row for `{name}`");
    }

    /// <summary>An instance of the event with every constructor argument given: each string a distinct text.</summary>
    internal static object Sample(Type type)
    {
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)!;
        return constructor.Invoke(constructor.GetParameters().Select(p => SampleOf(p.ParameterType, p.Name!, type)).ToArray());
    }

    private static object SampleOf(Type type, string name, Type of)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return $"Sample {name} that names Oma Riet";
        if (underlying == typeof(Guid)) return Guid.NewGuid();
        if (underlying == typeof(DateTimeOffset)) return Monday;
        if (underlying == typeof(DateOnly)) return new DateOnly(2027, 3, 1);
        if (underlying == typeof(TimeSpan)) return TimeSpan.FromHours(1);
        if (underlying == typeof(int)) return 1;
        if (underlying == typeof(long)) return 1L;
        if (underlying == typeof(bool)) return false;
        if (underlying.IsEnum) return Enum.GetValues(underlying).GetValue(0)!;
        if (underlying == typeof(Schedule)) return new Schedule(Daily: new TimeOnly(15, 0));
        if (underlying == typeof(BottomLineRule)) return new BottomLineRule(RuleKind.AnyBreach);
        if (underlying == typeof(IReadOnlyList<int>)) return new List<int> { 7 };
        if (underlying == typeof(IReadOnlyList<Guid>)) return new List<Guid> { Guid.NewGuid() };
        throw new InvalidOperationException($"{of.Name}.{name}: give the checklist a sample {type.Name} here.");
    }

    private static bool HoldsStrings(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return true;
        if (underlying.IsPrimitive || underlying.IsEnum || underlying.Namespace == "System") return false;
        if (underlying.IsGenericType && typeof(IEnumerable).IsAssignableFrom(underlying))
            return underlying.GetGenericArguments().Any(HoldsStrings);
        return underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.PropertyType == typeof(string));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "docs", "events.md"))) return directory.FullName;
        throw new DirectoryNotFoundException($"No docs/events.md above {AppContext.BaseDirectory}.");
    }
}
