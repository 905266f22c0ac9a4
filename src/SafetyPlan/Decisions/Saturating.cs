namespace SafetyPlan.Decisions;

/// <summary>
/// Date arithmetic that cannot overflow: a result beyond the calendar's ends (0001-01-01, 9999-12-31) stops at that
/// end instead of throwing. Requests are kept far from those ends at the door (<see cref="Web.Bounds"/>); this is for
/// what the door cannot see: data stored before a bound existed (a bottom line "within P800000D"), a schedule once in
/// year 9999, a replay at an extreme moment. One such value used to fail every later decision on its plan, and the
/// sweep on it for ever.
/// </summary>
public static class Saturating
{
    /// <summary><paramref name="at"/> + <paramref name="span"/>, kept in <paramref name="at"/>'s offset where that fits.</summary>
    public static DateTimeOffset Plus(this DateTimeOffset at, TimeSpan span) => FromUtcTicks((Int128)at.UtcTicks + span.Ticks, at.Offset);

    /// <summary><paramref name="at"/> − <paramref name="span"/>, kept in <paramref name="at"/>'s offset where that fits.</summary>
    public static DateTimeOffset Minus(this DateTimeOffset at, TimeSpan span) => FromUtcTicks((Int128)at.UtcTicks - span.Ticks, at.Offset);

    /// <summary>The day <paramref name="days"/> later (or earlier, when negative), at most 9999-12-31 and at least 0001-01-01.</summary>
    public static DateOnly PlusDays(this DateOnly day, int days) =>
        DateOnly.FromDayNumber((int)Math.Clamp((long)day.DayNumber + days, DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));

    /// <summary>The day <paramref name="years"/> later, 29 February becoming 28 February; at most 9999-12-31.</summary>
    public static DateOnly PlusYears(this DateOnly day, int years) =>
        day.Year + (long)years > DateOnly.MaxValue.Year ? DateOnly.MaxValue
        : day.Year + (long)years < DateOnly.MinValue.Year ? DateOnly.MinValue
        : day.AddYears(years);

    /// <summary>An instant from UTC ticks, in <paramref name="offset"/> if its local time fits the calendar, else in UTC.</summary>
    internal static DateTimeOffset FromUtcTicks(Int128 utcTicks, TimeSpan offset)
    {
        if (utcTicks <= DateTimeOffset.MinValue.UtcTicks) return DateTimeOffset.MinValue;
        if (utcTicks >= DateTimeOffset.MaxValue.UtcTicks) return DateTimeOffset.MaxValue;
        var local = utcTicks + offset.Ticks;
        return local >= DateTime.MinValue.Ticks && local <= DateTime.MaxValue.Ticks
            ? new DateTimeOffset((long)local, offset)
            : new DateTimeOffset((long)utcTicks, TimeSpan.Zero);
    }
}
