using Marten.Services;
using SafetyPlan.Agreements;
using SafetyPlan.Plans;
using Weasel.Core;

namespace SafetyPlan.Tests.Domain;

/// <summary>The plan document as Marten stores it: occurrence records in their compact form, and the older object form still read.</summary>
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
    public void an_occurrence_is_one_short_string_in_the_document()
    {
        var plan = new Plan { Agreements = [new Agreement { Occurrences = [new() { Occurrence = Monday, Outcome = CheckInOutcome.NotKept }] }] };

        Serializer.ToJson(plan).ShouldContain("\"occurrences\":[\"2027-01-04T15:00:00+01:00 not-kept\"]");
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
