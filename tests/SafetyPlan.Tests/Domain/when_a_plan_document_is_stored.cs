using Marten.Services;
using SafetyPlan.Agreements;
using SafetyPlan.Plans;
using Weasel.Core;

namespace SafetyPlan.Tests.Domain;

/// <summary>The plan document as Marten stores it: occurrences and breaches as logs that read back exactly, and the earlier forms still read.</summary>
public sealed class when_a_plan_document_is_stored
{
    // The serializer exactly as the event store configures it (Hosting/ConfigureEventStore.cs).
    private static readonly Marten.Services.SystemTextJsonSerializer Serializer = new() { EnumStorage = EnumStorage.AsString, Casing = Casing.CamelCase };

    private static readonly DateTimeOffset Monday = new(2027, 1, 4, 15, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void every_state_of_an_occurrence_reads_back_as_it_was_written()
    {
        var records = new List<OccurrenceRecord>
        {
            new() { Occurrence = Monday, Outcome = CheckInOutcome.Kept },
            new() { Occurrence = Monday.AddDays(1), Outcome = CheckInOutcome.Partly },
            new() { Occurrence = Monday.AddDays(2), Outcome = CheckInOutcome.NotKept },
            new() { Occurrence = Monday.AddDays(3), Missed = true },
            new() { Occurrence = Monday.AddDays(4) },
            new() { Occurrence = Monday.AddDays(5).AddTicks(1234567), Outcome = CheckInOutcome.Kept },
            new() { Occurrence = new DateTimeOffset(2027, 7, 5, 18, 0, 0, TimeSpan.FromHours(2)), Missed = true },
        };
        var plan = new Plan { Agreements = [new Agreement { Id = Guid.NewGuid(), Occurrences = records }] };

        var read = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(plan))));

        var back = read.Agreements.Single().Occurrences;
        back.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed))
            .ShouldBe(records.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed)));
    }

    [Fact]
    public void occurrences_spaced_alike_are_one_step_repeated_and_a_letter_each()
    {
        var plan = new Plan { Agreements = [new Agreement { Occurrences =
        [
            new() { Occurrence = Monday, Outcome = CheckInOutcome.NotKept },
            new() { Occurrence = Monday.AddDays(1), Outcome = CheckInOutcome.Kept },
            new() { Occurrence = Monday.AddDays(2), Missed = true },
            new() { Occurrence = Monday.AddDays(4), Outcome = CheckInOutcome.Partly },
        ] }] };

        Serializer.ToJson(plan).ShouldContain("\"occurrences\":\"2027-01-04T15:00:00+01:00 1440*2 2880;nkmp\"");
    }

    [Fact]
    public void a_daily_agreement_across_summer_time_and_any_irregular_step_reads_back_moment_by_moment()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var records = Enumerable.Range(0, 400)
            .Select(d => new DateTime(2027, 1, 4, 17, 30, 0).AddDays(d))
            .Select(local => new DateTimeOffset(local, zone.GetUtcOffset(local)))
            .Select((at, i) => new OccurrenceRecord { Occurrence = at, Outcome = i % 7 == 3 ? null : CheckInOutcome.Kept, Missed = i % 7 == 3 })
            .ToList();
        records.Insert(100, new OccurrenceRecord { Occurrence = records[99].Occurrence.AddTicks(12_345), Outcome = CheckInOutcome.NotKept });
        records.Add(new OccurrenceRecord { Occurrence = records[^1].Occurrence.AddDays(-3).ToOffset(TimeSpan.FromMinutes(-210)) });
        var plan = new Plan { Agreements = [new Agreement { Occurrences = records }] };

        var json = Serializer.ToJson(plan);
        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Agreements.Single().Occurrences;

        back.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed))
            .ShouldBe(records.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed)));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var log = document.RootElement.GetProperty("agreements")[0].GetProperty("occurrences").GetString()!;
        log.Length.ShouldBeLessThan(402 + 150); // a letter an occurrence, and a few steps: the first, summer time, the odd ones (13 KB as a string each)
    }

    public static TheoryData<string> Few => ["none", "one", "one step back, less than a minute"];

    [Theory]
    [MemberData(nameof(Few))]
    public void no_occurrence_one_or_a_step_back_reads_back_as_it_was_written(string which)
    {
        List<OccurrenceRecord> records = which switch
        {
            "none" => [],
            "one" => [new() { Occurrence = Monday, Outcome = CheckInOutcome.Partly }],
            _ => [new() { Occurrence = Monday, Missed = true }, new() { Occurrence = Monday.AddTicks(-59 * TimeSpan.TicksPerSecond) }],
        };
        var plan = new Plan { Agreements = [new Agreement { Occurrences = records }] };

        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(plan)))).Agreements.Single().Occurrences;

        back.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed))
            .ShouldBe(records.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed)));
    }

    [Theory]
    [InlineData("""{"agreements":[{"occurrences":";k"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00 1440;k"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00 1x40;kk"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00 @+1:00 1440;kk"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00;z"}]}""")]
    [InlineData("""{"breaches":"|m3.1.0._"}""")]
    [InlineData("""{"breaches":"|x.1.0._"}""")]
    [InlineData("""{"breaches":"|m..0._"}""")]
    [InlineData("""{"breaches":"|m.1.0"}""")]
    [InlineData("""{"breaches":"m.1.0._"}""")]
    public void a_damaged_log_fails_to_read_as_json_rather_than_as_something_else(string stored)
    {
        Should.Throw<System.Text.Json.JsonException>(() => Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored))));
    }

    [Fact]
    public void a_document_stored_with_one_string_per_occurrence_is_still_read()
    {
        const string stored = """{"agreements":[{"occurrences":["2027-01-04T15:00:00+01:00 not-kept","2027-01-05T15:00:00+01:00 missed"]}]}""";

        var occurrences = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored))).Agreements.Single().Occurrences;

        occurrences.Select(o => (o.Occurrence, o.Outcome, o.Missed))
            .ShouldBe([(Monday, CheckInOutcome.NotKept, false), (Monday.AddDays(1), (CheckInOutcome?)null, true)]);
    }

    [Fact]
    public void every_kind_of_breach_reads_back_as_the_rules_judge_it()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var events = new[]
        {
            new BreachRecorded(Guid.NewGuid(), BreachKind.NotKept, first, Guid.NewGuid(), null, Monday.AddMinutes(7).AddTicks(31), OccurredAt: Monday, Occurrence: Monday),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Missed, second, Guid.NewGuid(), null, Monday.AddHours(1).AddSeconds(4), OccurredAt: Monday.AddHours(1), Occurrence: Monday),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Concern, null, Guid.NewGuid(), Severity.High, Monday.AddMinutes(30).ToUniversalTime(), OccurredAt: Monday.AddMinutes(30)),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Concern, first, Guid.NewGuid(), Severity.Low, Monday.AddDays(2)),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Missed, first, Guid.NewGuid(), null, Monday.AddDays(9), OccurredAt: Monday.AddDays(-30), Occurrence: Monday.AddDays(-31)),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Concern, null, Guid.NewGuid(), Severity.Medium, Monday.AddDays(9)),
        };
        var plan = new Plan();
        foreach (var e in events) Plan.Evolve(plan, e);

        var json = Serializer.ToJson(plan);
        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Breaches;

        back.ShouldBe(plan.Breaches);
        back.Select(b => (b.Kind, b.AgreementId, b.Severity, b.At, b.Date, b.Occurrence))
            .ShouldBe(events.Select(e => (e.Kind, e.AgreementId, e.Severity, e.At, e.Date, e.Occurrence)));
        back.ShouldAllBe(b => b.At.Offset == TimeSpan.Zero && b.Date.Offset == TimeSpan.Zero && (b.Occurrence == null || b.Occurrence.Value.Offset == TimeSpan.Zero));
        Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(new Plan())))).Breaches.ShouldBeEmpty();
    }

    [Fact]
    public void a_document_stored_with_the_breach_events_is_still_read()
    {
        var agreement = Guid.NewGuid();
        var stored = $$"""
            {"breaches":[{"breachId":"{{Guid.NewGuid()}}","kind":"Missed","agreementId":"{{agreement}}","sourceId":"{{Guid.NewGuid()}}","severity":null,
              "at":"2027-01-04T16:00:05+01:00","occurredAt":"2027-01-04T16:00:00+01:00","occurrence":"2027-01-04T15:00:00+01:00"}]}
            """;

        var breach = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored))).Breaches.Single();

        breach.ShouldBe(new Breach(BreachKind.Missed, agreement, null, Monday.AddHours(1).AddSeconds(5).ToUniversalTime(),
            Monday.AddHours(1).ToUniversalTime(), Monday.ToUniversalTime()));
    }

    [Fact]
    public void a_document_stored_with_occurrences_as_objects_is_still_read()
    {
        const string stored = """
            {"agreements":[{"id":"6f1c1e5e-0000-4000-8000-000000000001","occurrences":[
              {"occurrence":"2027-01-04T15:00:00+01:00","outcome":"NotKept","checkInId":"6f1c1e5e-0000-4000-8000-000000000002","missed":false},
              {"occurrence":"2027-01-05T15:00:00+01:00","outcome":null,"checkInId":null,"missed":true}]}]}
            """;

        var plan = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored)));

        var occurrences = plan.Agreements.Single().Occurrences;
        occurrences[0].ShouldSatisfyAllConditions(o => o.Occurrence.ShouldBe(Monday), o => o.Outcome.ShouldBe(CheckInOutcome.NotKept), o => o.Missed.ShouldBeFalse());
        occurrences[1].ShouldSatisfyAllConditions(o => o.Occurrence.ShouldBe(Monday.AddDays(1)), o => o.Outcome.ShouldBeNull(), o => o.Missed.ShouldBeTrue());
    }
}
