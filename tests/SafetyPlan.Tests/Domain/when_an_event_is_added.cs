using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Marten.Services;
using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.History;
using SafetyPlan.Hosting;
using SafetyPlan.Plans;
using SafetyPlan.Privacy;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The checklist for a plan event (docs/events.md, "To add an event"), over every type that implements
/// <see cref="IPlanEvent"/>: a case in <see cref="Plan.Evolve"/>, a description, a masking decision for each of its
/// strings, a line in docs/events.md, and a stored shape that only changes with an upcaster (event-shapes.txt). A step
/// forgotten for any event fails here, naming the event and the step.
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
        // Strings inside other values would escape the check above: none may hold any, unless its sample here (every
        // sample text names "Oma Riet") shows masking reaches them (a case audit's answers and their notes).
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType != typeof(string)))
            if (NotPersonalInside.Contains($"{name}.{property.Name}"))
                System.Text.Json.JsonSerializer.Serialize(property.GetValue(masked)).ShouldBe(System.Text.Json.JsonSerializer.Serialize(property.GetValue(sample)),
                    $"{name}.{property.Name} is declared not personal, so masking keeps it");
            else if (!MaskedInside.Contains($"{name}.{property.Name}"))
                HoldsStrings(property.PropertyType).ShouldBeFalse($"{name}.{property.Name} holds strings: give masking and this check a way to see them");
            else
            {
                System.Text.Json.JsonSerializer.Serialize(property.GetValue(sample)).ShouldContain("Oma Riet");
                System.Text.Json.JsonSerializer.Serialize(property.GetValue(masked)).ShouldNotContain("Oma Riet", Case.Sensitive,
                    $"{name}.{property.Name} keeps personal data when masked");
            }
    }

    [Theory]
    [MemberData(nameof(EveryPlanEvent))]
    public void docs_events_md_describes_it(string name)
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "events.md"));

        Regex.IsMatch(docs, $@"^\| `{name}` \|", RegexOptions.Multiline).ShouldBeTrue($"docs/events.md has no table row for `{name}`");
    }

    private const string ShapesFile = "tests/SafetyPlan.Tests/Domain/event-shapes.txt";

    private const string KeepTheOldShape =
        "events of the old shape may be stored: keep the old shape as a legacy type in Plans/LegacyEvents.cs with an Upcast(), " +
        "register it (Plans/ConfigurePlans.cs), then update " + ShapesFile + " (docs/events.md, \"To add an event\", step 6)";

    [Fact]
    public void its_stored_shape_changes_only_with_an_upcaster()
    {
        var current = StoredShapes.Current(new StoreOptions().UseStoredJson()); // the app's serialization, without a database
        var pinned = StoredShapes.Parse(File.ReadAllLines(Path.Combine(RepositoryRoot(), ShapesFile)));
        var failures = new List<string>();

        foreach (var (name, was) in pinned)
        {
            if (!current.TryGetValue(name, out var now))
            {
                failures.Add($"{name} is no longer stored by this name: {KeepTheOldShape}.");
                continue;
            }
            foreach (var (field, type) in was)
            {
                var what = now.IsEnum ? $"{name} value {field}" : $"{name}.{field} ({type})";
                if (!now.Fields.TryGetValue(field, out var nowType))
                    failures.Add($"{what} was removed or renamed: {KeepTheOldShape}.");
                else if (nowType != type)
                    failures.Add($"{what} changed type to {nowType}: {KeepTheOldShape}.");
            }
            foreach (var (field, type) in now.Fields.Where(f => !was.ContainsKey(f.Key)))
                failures.Add(
                    now.IsEnum ? $"{name} value {field} is new: no stored event holds it, so it needs no upcaster; add it to {ShapesFile}: {now.Line}"
                    : now.Optional.Contains(field) ? $"{name}.{field} ({type}) is new: old events read it as null or its default, so it needs no upcaster; add it to {ShapesFile}: {now.Line}"
                    : $"{name}.{field} ({type}) is new and required, but old events lack it: make it optional (nullable, or with a default), or {KeepTheOldShape}.");
        }
        foreach (var (name, shape) in current.Where(s => !pinned.ContainsKey(s.Key)))
            failures.Add($"{name} is a new {(shape.IsEvent ? "event" : "value stored in events")}: add its shape to {ShapesFile}: {shape.Line}");

        failures.ShouldBeEmpty($"The stored shapes differ from {ShapesFile}. Its lines as they are now:\n{string.Join("\n", StoredShapes.Lines(current))}\n");
    }

    [Fact]
    public void every_legacy_shape_is_registered_as_an_upcaster_and_documented()
    {
        var legacy = typeof(IPlanEvent).Assembly.GetTypes()
            .Where(t => t.GetMethod("Upcast", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { } upcast
                        && typeof(IPlanEvent).IsAssignableFrom(upcast.ReturnType))
            .ToList();
        legacy.ShouldContain(typeof(NetworkMemberAdded)); // a floor, so that a broken search cannot pass on nothing
        // Marten keeps which stored name is read as which type to itself (no public way to ask without a database), so
        // the registration is checked in the source; when_an_old_event_shape_is_read reads one back through the store.
        var sources = string.Join("\n", Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", "SafetyPlan"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines).Where(line => !line.TrimStart().StartsWith("//")));
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "events.md"));

        foreach (var type in legacy)
        {
            var target = type.GetMethod("Upcast", Type.EmptyTypes)!.ReturnType;
            sources.Contains($"Events.Upcast<{type.Name}, {target.Name}>(", StringComparison.Ordinal).ShouldBeTrue(
                $"{type.Name} has an Upcast() but is not registered: add options.Events.Upcast<{type.Name}, {target.Name}>(old => old.Upcast()) to Plans/ConfigurePlans.cs");
            Regex.IsMatch(docs, $@"^\| `{type.Name}` .*\| `{target.Name}` \|", RegexOptions.Multiline).ShouldBeTrue(
                $"docs/events.md (\"Schema evolution\") has no row for `{type.Name}` read as `{target.Name}`");
        }
    }

    /// <summary>Values that hold strings inside, whose masking the sample checks (every string in their sample names "Oma Riet").</summary>
    private static readonly string[] MaskedInside = ["CaseAuditWritten.Answers"];

    /// <summary>Lists of strings that hold no personal data: professionals' user ids, kept like every professional's id.</summary>
    private static readonly string[] NotPersonalInside = ["ConferenceSessionHeld.ProfessionalsPresent"];

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
        if (underlying == typeof(IReadOnlyList<string>)) return new List<string> { $"sample-{name}" };
        if (underlying == typeof(CaseAuditFacts)) return new CaseAuditFacts(1, 12.5, 0.75, 1, 1, 2);
        if (underlying == typeof(IReadOnlyList<CaseAuditAnswer>)) return new List<CaseAuditAnswer> { new("family-heard", 4, $"Sample {name} note that names Oma Riet") };
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

/// <summary>
/// The shapes in which plan events are stored: each event's JSON properties with their types, and those of the values
/// inside them (records and enums of the app, since a change there changes the stored event too), as lines of
/// event-shapes.txt: <c>AgreementWithdrawn(agreementId: Guid, reason: string, at: DateTimeOffset)</c>,
/// <c>enum MemberRole(Parent, Child, Network, Professional)</c>.
/// </summary>
internal static class StoredShapes
{
    /// <summary>One stored type: its fields and their types (an enum's stored values, with no type), and which fields old events may lack.</summary>
    public sealed record Shape(string Name, bool IsEvent, bool IsEnum, IReadOnlyDictionary<string, string> Fields, IReadOnlySet<string> Optional)
    {
        public string Line => (IsEnum ? "enum " : "") + $"{Name}({string.Join(", ", Fields.Select(f => IsEnum ? f.Key : $"{f.Key}: {f.Value}"))})";
    }

    /// <summary>Every plan event and every value stored in one, by name, as the store's serializer writes them.</summary>
    public static SortedDictionary<string, Shape> Current(StoreOptions store)
    {
        JsonSerializerOptions json = null!;
        ((SystemTextJsonSerializer)store.Serializer()).Configure(options => json = options);
        json.MakeReadOnly(populateMissingResolver: true); // as on the serializer's first write
        var shapes = new SortedDictionary<string, Shape>(StringComparer.Ordinal);
        var pending = new Queue<(Type Type, bool IsEvent)>(PlanEvents.Types.Select(t => (t, true)));
        while (pending.TryDequeue(out var next))
        {
            var (type, isEvent) = next;
            if (shapes.ContainsKey(type.Name)) continue;
            if (type.IsEnum)
            {
                var values = Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.Serialize(v, type, json).Trim('"')).ToList();
                shapes[type.Name] = new Shape(type.Name, false, true, values.ToDictionary(v => v, _ => ""), values.ToHashSet());
                continue;
            }
            var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length);
            var fields = new Dictionary<string, string>();
            var optional = new HashSet<string>();
            foreach (var property in json.GetTypeInfo(type).Properties.Where(p => p.Get is not null))
            {
                var member = (PropertyInfo)property.AttributeProvider!;
                var nullability = new NullabilityInfoContext().Create(member);
                fields[property.Name] = TypeName(nullability);
                var parameter = constructor?.GetParameters().SingleOrDefault(p => string.Equals(p.Name, member.Name, StringComparison.OrdinalIgnoreCase));
                if (nullability.ReadState == NullabilityState.Nullable || parameter is null || parameter.HasDefaultValue) optional.Add(property.Name);
                foreach (var inner in StoredWithin(member.PropertyType)) pending.Enqueue((inner, false));
            }
            shapes[type.Name] = new Shape(type.Name, isEvent, false, fields, optional);
        }
        return shapes;
    }

    /// <summary>The lines of event-shapes.txt for <paramref name="shapes"/>: the events, then the values inside them, each by name.</summary>
    public static IEnumerable<string> Lines(IReadOnlyDictionary<string, Shape> shapes) =>
        shapes.Values.OrderBy(s => !s.IsEvent).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => s.Line);

    /// <summary>The shapes pinned in event-shapes.txt, by name: each field's type ("" for an enum's values). Blank lines and # comments are left out.</summary>
    public static Dictionary<string, Dictionary<string, string>> Parse(IEnumerable<string> lines)
    {
        var shapes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var match = Regex.Match(line, @"^(?<enum>enum )?(?<name>\w+)\((?<fields>.*)\)$");
            if (!match.Success) throw new FormatException($"event-shapes.txt: not a shape: {line}");
            var isEnum = match.Groups["enum"].Success;
            shapes.Add(match.Groups["name"].Value, SplitTopLevel(match.Groups["fields"].Value)
                .Select(f => f.Split(':', 2, StringSplitOptions.TrimEntries))
                .ToDictionary(f => f[0], f => isEnum ? "" : f[1]));
        }
        return shapes;
    }

    private static IEnumerable<string> SplitTopLevel(string fields)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i] == '<') depth++;
            else if (fields[i] == '>') depth--;
            else if (fields[i] == ',' && depth == 0)
            {
                yield return fields[start..i].Trim();
                start = i + 1;
            }
        }
        if (fields[start..].Trim() is { Length: > 0 } last) yield return last;
    }

    private static IEnumerable<Type> StoredWithin(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray) return StoredWithin(underlying.GetElementType()!);
        if (underlying.IsGenericType) return underlying.GetGenericArguments().SelectMany(StoredWithin);
        return underlying.Namespace?.StartsWith("SafetyPlan", StringComparison.Ordinal) == true ? [underlying] : [];
    }

    private static string TypeName(NullabilityInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        var name = type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(int) => "int",
            _ when type == typeof(long) => "long",
            _ when type == typeof(bool) => "bool",
            _ when type == typeof(double) => "double",
            _ when type == typeof(decimal) => "decimal",
            { IsArray: true } => TypeName(info.ElementType!) + "[]",
            { IsGenericType: true } => $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", info.GenericTypeArguments.Select(TypeName))}>",
            _ => type.Name,
        };
        return info.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }
}
