using SafetyPlan.Agreements;

namespace SafetyPlan.Tests.Domain;

public sealed class when_occurrences_are_scheduled
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static DateTimeOffset At(int y, int m, int d, int h, int min, int offset) => new(y, m, d, h, min, 0, TimeSpan.FromHours(offset));

    [Fact]
    public void a_daily_schedule_occurs_every_day_at_its_local_time_across_summer_time()
    {
        var daily = new Schedule(Daily: new TimeOnly(18, 0));
        var occurrences = daily.Occurrences(At(2027, 3, 26, 0, 0, 1), At(2027, 3, 29, 0, 0, 2), Amsterdam).ToList();
        occurrences.ShouldBe([At(2027, 3, 26, 18, 0, 1), At(2027, 3, 27, 18, 0, 1), At(2027, 3, 28, 18, 0, 2)]);
    }

    [Fact]
    public void a_weekly_schedule_occurs_on_its_days_only()
    {
        var weekly = new Schedule(Weekly: [DayOfWeek.Monday, DayOfWeek.Thursday], At: new TimeOnly(19, 0));
        var occurrences = weekly.Occurrences(At(2027, 1, 4, 0, 0, 1), At(2027, 1, 18, 0, 0, 1), Amsterdam).ToList();
        occurrences.Select(o => o.DayOfWeek).ShouldBe([DayOfWeek.Monday, DayOfWeek.Thursday, DayOfWeek.Monday, DayOfWeek.Thursday]);
        weekly.Next(At(2027, 1, 4, 19, 0, 1), Amsterdam).ShouldBe(At(2027, 1, 7, 19, 0, 1));
    }

    [Fact]
    public void a_time_skipped_when_summer_time_starts_happens_at_the_first_moment_after_the_gap()
    {
        var night = new Schedule(Daily: new TimeOnly(2, 30));
        night.Occurrences(At(2027, 3, 28, 0, 0, 1), At(2027, 3, 28, 12, 0, 2), Amsterdam).Single().ShouldBe(At(2027, 3, 28, 3, 0, 2));
    }

    [Fact]
    public void a_time_repeated_when_summer_time_ends_happens_the_first_time_only()
    {
        var night = new Schedule(Daily: new TimeOnly(2, 30));
        night.Occurrences(At(2027, 10, 31, 0, 0, 2), At(2027, 10, 31, 12, 0, 1), Amsterdam).Single().ShouldBe(At(2027, 10, 31, 2, 30, 2));
    }

    [Fact]
    public void a_once_schedule_occurs_once()
    {
        var once = new Schedule(Once: new DateTime(2027, 2, 1, 10, 0, 0));
        once.Occurrences(At(2027, 1, 1, 0, 0, 1), At(2027, 12, 1, 0, 0, 1), Amsterdam).ShouldBe([At(2027, 2, 1, 10, 0, 1)]);
        once.IsOccurrence(At(2027, 2, 1, 10, 0, 1), Amsterdam).ShouldBeTrue();
        once.IsOccurrence(At(2027, 2, 2, 10, 0, 1), Amsterdam).ShouldBeFalse();
    }

    [Fact]
    public void a_once_given_as_an_instant_in_the_repeated_hour_is_kept_as_that_instant()
    {
        // 02:30 winter time, the second 02:30 of the night summer time ends: an hour after the first.
        var second = At(2027, 10, 31, 2, 30, 1);
        var once = new Schedule(OnceAt: second);

        once.Occurrences(At(2027, 10, 31, 0, 0, 2), At(2027, 10, 31, 12, 0, 1), Amsterdam).ShouldBe([second]);
        once.Next(At(2027, 10, 31, 2, 45, 2), Amsterdam).ShouldBe(second);
        once.IsOccurrence(second, Amsterdam).ShouldBeTrue();
        once.IsOccurrence(At(2027, 10, 31, 2, 30, 2), Amsterdam).ShouldBeFalse(); // the first 02:30 is another moment
        once.Describe().ShouldBe("once 2027-10-31 02:30 +01:00");
    }

    [Fact]
    public void a_once_stored_as_a_wall_clock_time_is_still_read_in_the_plans_zone()
    {
        var stored = new Schedule(Once: new DateTime(2027, 10, 31, 2, 30, 0));

        stored.OnceInstant(Amsterdam).ShouldBe(At(2027, 10, 31, 2, 30, 2)); // the first time, as documented
        stored.Describe().ShouldBe("once 2027-10-31 02:30");
    }

    [Fact]
    public void at_the_ends_of_the_calendar_a_schedule_answers_without_overflowing()
    {
        var daily = new Schedule(Daily: new TimeOnly(23, 30));
        var weekly = new Schedule(Weekly: [DayOfWeek.Friday], At: new TimeOnly(0, 15));
        var chatham = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Chatham"); // +13:45 in summer
        var kiritimati = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati"); // +14:00
        var honolulu = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Honolulu"); // -10:00

        foreach (var zone in new[] { Amsterdam, chatham, kiritimati, honolulu })
        {
            foreach (var schedule in new[] { daily, weekly, new Schedule(OnceAt: DateTimeOffset.MaxValue), new Schedule(Once: DateTime.MaxValue) })
            {
                schedule.Occurrences(DateTimeOffset.MaxValue.AddDays(-20), DateTimeOffset.MaxValue, zone).ToList();
                schedule.Occurrences(DateTimeOffset.MinValue, DateTimeOffset.MinValue.AddDays(20), zone).ToList();
                schedule.Next(DateTimeOffset.MaxValue, zone).ShouldBeNull();
                schedule.Next(DateTimeOffset.MaxValue.AddDays(-3), zone);
                schedule.Next(DateTimeOffset.MinValue, zone);
                schedule.IsOccurrence(DateTimeOffset.MinValue, zone).ShouldBeFalse();
                schedule.IsOccurrence(DateTimeOffset.MaxValue, zone);
            }
            Schedule.ToInstant(DateTime.MinValue, zone);
            Schedule.ToInstant(DateTime.MaxValue, zone);
        }
        daily.Next(new DateTimeOffset(9999, 12, 30, 0, 0, 0, TimeSpan.Zero), Amsterdam).ShouldBe(new DateTimeOffset(9999, 12, 30, 23, 30, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void a_schedule_never_reads_the_servers_own_time_zone()
    {
        // Two zones without summer time, and neither the zone this process runs in: a wall-clock time read in the
        // server's zone (as DateTime.Parse or ToLocalTime would) lands on another instant.
        var (zoneId, offset) = TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.FromHours(9) ? ("America/Lima", -5) : ("Asia/Tokyo", 9);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var errors = new SafetyPlan.Decisions.FieldErrors();

        var once = new ScheduleRequest(null, null, null, "2027-03-04T10:00").Parse(errors, zone, At(2027, 1, 4, 8, 0, 1))!;
        var daily = new ScheduleRequest("10:00", null, null, null).Parse(errors, zone, At(2027, 1, 4, 8, 0, 1))!;

        errors.Any.ShouldBeFalse();
        once.OnceInstant(zone).ShouldBe(new DateTimeOffset(2027, 3, 4, 10, 0, 0, TimeSpan.FromHours(offset)));
        daily.Next(At(2027, 3, 3, 20, 0, 0), zone).ShouldBe(new DateTimeOffset(2027, 3, 4, 10, 0, 0, TimeSpan.FromHours(offset)));
    }
}
