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
    public void a_time_skipped_when_summer_time_starts_happens_an_hour_later()
    {
        var night = new Schedule(Daily: new TimeOnly(2, 30));
        night.Occurrences(At(2027, 3, 28, 0, 0, 1), At(2027, 3, 28, 12, 0, 2), Amsterdam).Single().ShouldBe(At(2027, 3, 28, 3, 30, 2));
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
}
