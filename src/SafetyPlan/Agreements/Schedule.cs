namespace SafetyPlan.Agreements;

/// <summary>
/// When an agreement's occurrences fall, in the plan's time zone: every day at a time, on some weekdays at a time,
/// or once. Exactly one of <see cref="Daily"/>, <see cref="Weekly"/> (with <see cref="At"/>), <see cref="Once"/> or
/// <see cref="OnceAt"/> is set.
/// </summary>
/// <param name="Once">Once, at a wall-clock time in the plan's zone (<c>"once": "2027-03-04T10:00"</c>; also every
/// once schedule stored before 2026-11-29, when an offset given was turned into the plan's wall-clock time).</param>
/// <param name="OnceAt">Once, at this instant exactly (<c>"once"</c> given with an offset): kept as given, so that
/// <c>2027-10-31T02:30:00+01:00</c>, the second 02:30 of the night summer time ends, is not read as the first.</param>
public sealed record Schedule(
    TimeOnly? Daily = null, IReadOnlyList<DayOfWeek>? Weekly = null, TimeOnly? At = null, DateTime? Once = null, DateTimeOffset? OnceAt = null)
{
    /// <summary>A recurring schedule occurs at least once in any eight days (weekly at least once a week).</summary>
    private static readonly TimeSpan LookAhead = TimeSpan.FromDays(8);

    [System.Text.Json.Serialization.JsonIgnore] // derived: not stored in events, not answered
    public bool IsOnce => Once is not null || OnceAt is not null;

    /// <summary>The single occurrence of a once schedule, as an instant; null for a recurring one.</summary>
    public DateTimeOffset? OnceInstant(TimeZoneInfo zone) => OnceAt ?? (Once is { } local ? ToInstant(local, zone) : null);

    /// <summary>Occurrences after <paramref name="fromExclusive"/> up to and including <paramref name="toInclusive"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> Occurrences(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, TimeZoneInfo zone)
    {
        if (toInclusive <= fromExclusive) yield break;

        if (IsOnce)
        {
            var instant = OnceInstant(zone)!.Value;
            if (instant > fromExclusive && instant <= toInclusive) yield return instant;
            yield break;
        }

        if ((Daily ?? At) is not { } time) yield break;
        // A day either side: the local day of an instant near midnight may hold an occurrence on the other side of it.
        var firstDay = LocalDay(fromExclusive, zone).PlusDays(-1);
        var lastDay = LocalDay(toInclusive, zone).PlusDays(1);
        for (var day = firstDay; ; day = day.AddDays(1))
        {
            if (Weekly is null || Weekly.Contains(day.DayOfWeek))
            {
                var instant = ToInstant(day.ToDateTime(time), zone);
                if (instant > fromExclusive && instant <= toInclusive) yield return instant;
            }
            if (day >= lastDay) yield break; // before AddDays, which would pass 9999-12-31
        }
    }

    /// <summary>The first occurrence after <paramref name="after"/>, if any (every recurring schedule occurs within a week).</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone) =>
        IsOnce
            ? OnceInstant(zone) is { } once && once > after ? once : null
            : Occurrences(after, after.Plus(LookAhead), zone).Cast<DateTimeOffset?>().FirstOrDefault();

    /// <summary>The last occurrence after <paramref name="after"/> and at or before <paramref name="atOrBefore"/>, if any (a recurring schedule looks back at most a week and a day).</summary>
    public DateTimeOffset? Previous(DateTimeOffset atOrBefore, DateTimeOffset after, TimeZoneInfo zone)
    {
        var lookBack = atOrBefore.Minus(LookAhead);
        var from = !IsOnce && lookBack > after ? lookBack : after;
        return Occurrences(from, atOrBefore, zone).Cast<DateTimeOffset?>().LastOrDefault();
    }

    /// <summary>Whether <paramref name="instant"/> is one of the schedule's occurrences (to the tick).</summary>
    public bool IsOccurrence(DateTimeOffset instant, TimeZoneInfo zone) =>
        IsOnce ? OnceInstant(zone) == instant : Occurrences(instant.Minus(TimeSpan.FromTicks(1)), instant, zone).Any();

    /// <summary>
    /// A local wall-clock time as an instant (../shared/domain.md, "Times"): a time that does not exist (the hour skipped
    /// when summer time starts) happens at the first moment after the gap, so 02:30 on that night in Amsterdam is 03:00
    /// summer time (01:00 UTC), as is every time in the gap; a time that exists twice (the hour repeated when summer time
    /// ends) happens the first time. At the calendar's ends the instant stops at the end (0001-01-01 00:30 in Amsterdam
    /// would be before the first instant there is).
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = GapStart(local, zone);
        var offset = zone.IsAmbiguousTime(local)
            ? zone.GetAmbiguousTimeOffsets(local).Max()
            // At the gap's start GetUtcOffset answers the offset in force before the change: the instant of the change.
            : zone.GetUtcOffset(local);
        return Saturating.FromUtcTicks((Int128)local.Ticks - offset.Ticks, offset);
    }

    /// <summary>The first local time of the gap <paramref name="local"/> is in (gaps start on a whole minute in every zone in use).</summary>
    private static DateTime GapStart(DateTime local, TimeZoneInfo zone)
    {
        var start = new DateTime(local.Ticks - local.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Unspecified);
        for (var i = 0; i < 24 * 60 && start > DateTime.MinValue.AddMinutes(1) && zone.IsInvalidTime(start.AddMinutes(-1)); i++) start = start.AddMinutes(-1);
        return start;
    }

    private static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The schedule in words for the history (English; the pages have their own texts): "daily 18:00", "once 2027-10-31 02:30 +01:00".</summary>
    public string Describe() => this switch
    {
        { Daily: { } daily } => $"daily {daily:HH\\:mm}",
        { Weekly: { } days, At: { } at } => $"{string.Join(", ", days.Select(d => d.ToString().ToLowerInvariant()))} at {at:HH\\:mm}",
        { OnceAt: { } instant } => $"once {instant.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}",
        { Once: { } once } => $"once {once.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}",
        _ => "never",
    };
}
