using SafetyPlan.Decisions;
using SafetyPlan.Web;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The contract's bounds (api-contract.md, "Times, limits and paging"), one validation per kind: inside is read,
/// outside is a bilingual field error, and nothing in between throws.
/// </summary>
public sealed class when_bounds_are_checked
{
    public static TheoryData<string, string, bool> Durations => new()
    {
        { "grace", "PT4M59S", false }, { "grace", "PT5M", true }, { "grace", "P7D", true }, { "grace", "P7DT1S", false },
        { "grace", "PT0S", false }, { "grace", "P10675199D", false }, { "grace", "P99999999999D", false }, { "grace", "-P1D", false }, { "grace", "PT-4H", false },
        { "reportFrom", "PT0S", true }, { "reportFrom", "P1D", true }, { "reportFrom", "PT24H1S", false },
        { "remindBefore", "PT0S", true }, { "remindBefore", "PT30M", true }, { "remindBefore", "P2D", false },
        { "acknowledgeWithin", "PT20S", false }, { "acknowledgeWithin", "PT5M", true }, { "acknowledgeWithin", "P7D", true }, { "acknowledgeWithin", "P14D", false },
        { "rule.within", "PT59M", false }, { "rule.within", "PT1H", true }, { "rule.within", "P366D", true }, { "rule.within", "P367D", false }, { "rule.within", "P800000D", false },
        { "rule.for", "PT59M", false }, { "rule.for", "PT1H", true }, { "rule.for", "P90D", true }, { "rule.for", "P91D", false },
    };

    private static TimeSpan? Read(FieldErrors errors, string field, string text) => field switch
    {
        "grace" => Bounds.GraceOf(errors, text),
        "reportFrom" => Bounds.ReportFromOf(errors, text),
        "remindBefore" => Bounds.RemindBeforeOf(errors, text),
        "acknowledgeWithin" => Bounds.AcknowledgeWithinOf(errors, text),
        "rule.within" => Bounds.BreachesWithinOf(errors, text),
        _ => Bounds.SilenceForOf(errors, text),
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void a_duration_is_read_only_inside_its_bound(string field, string text, bool inside)
    {
        var errors = new FieldErrors();

        var read = Read(errors, field, text);

        (read is not null).ShouldBe(inside);
        errors.Any.ShouldBe(!inside);
        if (!inside)
        {
            var message = errors.ToRejection()!.Errors![field].Single();
            message.En.ShouldContain("ISO 8601 duration from ");
            message.Nl.ShouldContain("ISO 8601-duur van ");
        }
    }

    [Fact]
    public void an_absent_optional_duration_is_no_error_and_an_absent_rule_duration_is_one()
    {
        var errors = new FieldErrors();
        Bounds.GraceOf(errors, null).ShouldBeNull();
        Bounds.AcknowledgeWithinOf(errors, null).ShouldBeNull();
        errors.Any.ShouldBeFalse();

        Bounds.BreachesWithinOf(errors, null).ShouldBeNull();
        Bounds.SilenceForOf(errors, null).ShouldBeNull();
        errors.ToRejection()!.Errors!.Keys.Order().ShouldBe(["rule.for", "rule.within"]);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(101, false)]
    [InlineData(int.MaxValue, false)]
    [InlineData(int.MinValue, false)]
    [InlineData(null, false)]
    public void a_count_is_one_to_a_hundred(int? count, bool inside)
    {
        var errors = new FieldErrors();
        Bounds.Count(errors, count).ShouldBe(inside ? count : null);
        errors.Any.ShouldBe(!inside);
    }

    [Fact]
    public void an_evaluation_is_due_after_today_and_at_most_two_years_ahead()
    {
        var today = new DateOnly(2027, 1, 4);
        DateOnly? Due(DateOnly due, string field = "evaluationDue") => Bounds.EvaluationDue(new FieldErrors(), due, today, field);

        Due(today).ShouldBeNull();
        Due(today.AddDays(1)).ShouldBe(today.AddDays(1));
        Due(new DateOnly(2029, 1, 4)).ShouldBe(new DateOnly(2029, 1, 4));
        Due(new DateOnly(2029, 1, 5)).ShouldBeNull();
        Due(DateOnly.MaxValue).ShouldBeNull();
        Due(DateOnly.MinValue).ShouldBeNull();
        Bounds.LatestEvaluationDue(new DateOnly(2028, 2, 29)).ShouldBe(new DateOnly(2030, 2, 28));
        Bounds.LatestEvaluationDue(DateOnly.MaxValue).ShouldBe(DateOnly.MaxValue);

        var errors = new FieldErrors();
        Bounds.EvaluationDue(errors, new DateOnly(9999, 12, 31), today, "nextEvaluationDue");
        var message = errors.ToRejection()!.Errors!["nextEvaluationDue"].Single();
        message.En.ShouldBe("An evaluation may be planned at most 2 years ahead, so on 2029-01-04 at the latest.");
        message.Nl.ShouldBe("Een evaluatie mag hoogstens 2 jaar vooruit gepland worden, dus uiterlijk op 2029-01-04.");
    }

    [Fact]
    public void as_of_is_an_instant_with_an_offset_not_later_than_now()
    {
        var now = new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(1));
        DateTimeOffset? AsOf(string text, FieldErrors? errors = null) => Bounds.AsOf(errors ?? new FieldErrors(), text, now);

        AsOf("2027-01-04T08:00:00+01:00").ShouldBe(now);
        AsOf("2027-01-04T07:00Z").ShouldBe(now);
        AsOf("2027-01-04T07:00:00.0000001Z").ShouldBeNull();
        AsOf("9999-12-30T00:00:00Z").ShouldBeNull();
        AsOf("2027-01-04T08:00").ShouldBeNull(); // no offset: never the server's own zone
        AsOf("0001-01-01T00:00:00Z").ShouldBe(DateTimeOffset.MinValue);
        var errors = new FieldErrors();
        AsOf("2027-01-04", errors);
        errors.ToRejection()!.Errors!["asOf"].Single().Nl.ShouldContain("met een offset");
    }

    [Fact]
    public void a_list_of_members_names_each_once_and_at_most_a_hundred()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        IReadOnlyList<Guid>? Members(IReadOnlyList<Guid>? ids) => Bounds.Members(new FieldErrors(), ids, "reporters");

        Members(null).ShouldBeNull();
        Members([a, b]).ShouldBe([a, b]);
        Members([]).ShouldNotBeNull().ShouldBeEmpty();
        Members([a, a]).ShouldBeNull();
        Members([Guid.Empty]).ShouldBeNull();
        Members(Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()).ToList()).ShouldBeNull();
    }

    [Theory]
    [InlineData("2027-01-04T15:00:00+01:00", true)]
    [InlineData("2027-01-04T15:00+01:00", true)]
    [InlineData("2027-01-04T14:00:00Z", true)]
    [InlineData("2027-01-04T14:00:00.1234567Z", true)]
    [InlineData("2027-01-04T14:00:00.12345678Z", false)]
    [InlineData("2027-01-04T15:00:00-14:00", true)]
    [InlineData("2027-01-04T15:00:00+14:01", false)]
    [InlineData("2027-01-04T15:00:00", false)]
    [InlineData("2027-01-04T15:00", false)]
    [InlineData("2027-01-04", false)]
    [InlineData("01/04/2027 15:00 +01:00", false)]
    [InlineData("2027-01-04T15:00:00z", false)]
    [InlineData("2027-01-04T15:00:00 +01:00", false)]
    [InlineData("0001-01-01T00:00:00Z", true)]
    [InlineData("0001-01-01T00:00:00+00:01", false)]
    [InlineData("9999-12-31T23:59:59.9999999Z", true)]
    [InlineData("9999-12-31T23:59:59-00:01", false)]
    public void an_instant_is_read_only_with_its_offset(string text, bool read)
    {
        ContractValues.TryParseInstant(text, out _).ShouldBe(read);
    }

    [Fact]
    public void date_arithmetic_stops_at_the_ends_of_the_calendar()
    {
        var at = new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(1));

        at.Plus(TimeSpan.FromHours(2)).ShouldBe(at.AddHours(2));
        at.Plus(TimeSpan.FromHours(2)).Offset.ShouldBe(TimeSpan.FromHours(1));
        at.Minus(TimeSpan.FromDays(800000)).ShouldBe(DateTimeOffset.MinValue);
        at.Plus(TimeSpan.MaxValue).ShouldBe(DateTimeOffset.MaxValue);
        at.Minus(TimeSpan.MinValue).ShouldBe(DateTimeOffset.MaxValue);
        DateTimeOffset.MaxValue.Minus(TimeSpan.FromTicks(-1)).ShouldBe(DateTimeOffset.MaxValue);
        new DateTimeOffset(9999, 12, 31, 18, 0, 0, TimeSpan.FromHours(-5)).Plus(TimeSpan.FromHours(1)).ShouldBe(DateTimeOffset.MaxValue);
        new DateOnly(2027, 1, 4).PlusDays(-5).ShouldBe(new DateOnly(2026, 12, 30));
        DateOnly.MaxValue.PlusDays(1).ShouldBe(DateOnly.MaxValue);
        DateOnly.MinValue.PlusDays(-60).ShouldBe(DateOnly.MinValue);
        DateOnly.MaxValue.PlusDays(int.MinValue).ShouldBe(DateOnly.MinValue);
    }
}
