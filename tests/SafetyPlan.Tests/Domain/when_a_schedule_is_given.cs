using SafetyPlan.Agreements;
using SafetyPlan.Decisions;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The schedule of a request, read strictly (api-contract.md, "Times, limits and paging"): once as a local date-time
/// in the plan's zone or as an instant with an offset, and weekdays one per item.
/// </summary>
public sealed class when_a_schedule_is_given
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 8, 0, 0, TimeSpan.FromHours(1));

    private static (Schedule? Schedule, FieldErrors Errors) Parse(ScheduleRequest request)
    {
        var errors = new FieldErrors();
        return (request.Parse(errors, Amsterdam, Now), errors);
    }

    private static ScheduleRequest Once(string once) => new(null, null, null, once);
    private static ScheduleRequest Weekly(params string[] days) => new(null, days, "19:00", null);

    [Fact]
    public void once_with_an_offset_in_the_repeated_autumn_hour_is_kept_as_that_instant_and_shown_back_as_given()
    {
        var (schedule, errors) = Parse(Once("2027-10-31T02:30:00+01:00"));

        errors.Any.ShouldBeFalse();
        schedule!.OnceAt.ShouldBe(new DateTimeOffset(2027, 10, 31, 2, 30, 0, TimeSpan.FromHours(1)));
        schedule.OnceAt!.Value.Offset.ShouldBe(TimeSpan.FromHours(1));
        schedule.OnceInstant(Amsterdam).ShouldBe(new DateTimeOffset(2027, 10, 31, 1, 30, 0, TimeSpan.Zero));
        ScheduleRequest.From(schedule).Once.ShouldBe("2027-10-31T02:30:00+01:00");
        Parse(Once(ScheduleRequest.From(schedule).Once!)).Schedule.ShouldBe(schedule);
    }

    [Fact]
    public void once_as_a_local_date_time_is_a_wall_clock_time_in_the_plans_zone()
    {
        var (schedule, errors) = Parse(Once("2027-03-04T10:00"));

        errors.Any.ShouldBeFalse();
        schedule!.Once.ShouldBe(new DateTime(2027, 3, 4, 10, 0, 0));
        schedule.OnceInstant(Amsterdam).ShouldBe(new DateTimeOffset(2027, 3, 4, 10, 0, 0, TimeSpan.FromHours(1)));
        ScheduleRequest.From(schedule).Once.ShouldBe("2027-03-04T10:00");
        Parse(Once("2027-03-04T10:00:30")).Schedule!.Once.ShouldBe(new DateTime(2027, 3, 4, 10, 0, 30));
        Parse(Once("2027-03-04T09:00Z")).Schedule!.OnceInstant(Amsterdam).ShouldBe(new DateTimeOffset(2027, 3, 4, 10, 0, 0, TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("03-04-2027 10:00")]          // a culture's order of day and month
    [InlineData("2027-03-04 10:00")]          // a space for the T
    [InlineData("04/03/2027 10:00")]
    [InlineData("March 4, 2027 10:00")]
    [InlineData("2027-03-04")]                // a date without a time
    [InlineData("2027-03-04T10")]
    [InlineData("2027-03-04T10:00+0100")]     // an offset in the basic form
    [InlineData("2027-03-04T10:00+01")]
    [InlineData("2027-03-04T10:00+14:30")]    // beyond ±14:00
    [InlineData("2027-03-04T10:00+01:60")]
    [InlineData("2027-03-04T24:00")]
    [InlineData("2027-02-30T10:00")]
    [InlineData("2027-03-04t10:00")]
    [InlineData("2027-03-04T10:00\n")]
    [InlineData(" 2027-03-04T10:00")]
    [InlineData("２０２７-03-04T10:00")]        // digits of another script
    [InlineData("0001-01-01T00:00:00+01:00")] // before the first instant there is
    [InlineData("9999-12-31T23:59:59-01:00")] // after the last
    [InlineData("")]
    public void once_in_any_other_form_is_refused_with_a_field_error(string once)
    {
        var (schedule, errors) = Parse(Once(once));

        schedule.ShouldBeNull();
        errors.ToRejection()!.Errors!.Keys.ShouldBe(["schedule.once"]);
    }

    [Fact]
    public void once_in_the_past_is_refused_in_either_form()
    {
        Parse(Once("2027-01-04T07:59")).Errors.ToRejection()!.Errors!.Keys.ShouldBe(["schedule.once"]);
        Parse(Once("2027-01-04T06:59:59Z")).Errors.ToRejection()!.Errors!.Keys.ShouldBe(["schedule.once"]);
        Parse(Once("2027-01-04T07:00:01Z")).Errors.Any.ShouldBeFalse();
    }

    [Fact]
    public void once_at_the_end_of_the_calendar_is_a_moment_like_any_other()
    {
        var (schedule, errors) = Parse(Once("9999-12-31T23:59:59+14:00"));

        errors.Any.ShouldBeFalse();
        schedule!.Next(Now, Amsterdam).ShouldBe(new DateTimeOffset(9999, 12, 31, 9, 59, 59, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("monday,thursday")] // Enum.TryParse reads this as Monday | Thursday: a Friday
    [InlineData("monday thursday")]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData(" monday")]
    [InlineData("maandag")]
    [InlineData("mon")]
    [InlineData("")]
    public void a_weekday_is_one_day_name_per_item(string day)
    {
        var (schedule, errors) = Parse(Weekly(day));

        schedule.ShouldBeNull();
        errors.ToRejection()!.Errors!.Keys.ShouldBe(["schedule.weekly"]);
    }

    [Fact]
    public void a_weekday_named_twice_is_refused()
    {
        Parse(Weekly("monday", "monday")).Errors.ToRejection()!.Errors!["schedule.weekly"].Single().En.ShouldBe("'monday' is named more than once.");
        Parse(Weekly("monday", "Monday")).Schedule.ShouldBeNull();
    }

    [Fact]
    public void weekdays_one_per_item_are_kept_in_order_and_shown_back()
    {
        var (schedule, errors) = Parse(Weekly("thursday", "Monday"));

        errors.Any.ShouldBeFalse();
        schedule!.Weekly.ShouldBe([DayOfWeek.Monday, DayOfWeek.Thursday]);
        ScheduleRequest.From(schedule).Weekly.ShouldBe(["monday", "thursday"]);
    }
}
