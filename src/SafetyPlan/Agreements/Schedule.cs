using System.Globalization;

namespace SafetyPlan.Agreements;

/// <summary>
/// When an agreement's occurrences fall, in the plan's time zone: every day at a time, on some weekdays at a time,
/// or once. Exactly one of <see cref="Daily"/>, <see cref="Weekly"/> (with <see cref="At"/>) or <see cref="Once"/> is set.
/// </summary>
public sealed record Schedule(TimeOnly? Daily = null, IReadOnlyList<DayOfWeek>? Weekly = null, TimeOnly? At = null, DateTime? Once = null)
{
    /// <summary>Occurrences after <paramref name="fromExclusive"/> up to and including <paramref name="toInclusive"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> Occurrences(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, TimeZoneInfo zone)
    {
        if (toInclusive <= fromExclusive) yield break;

        if (Once is { } once)
        {
            var instant = ToInstant(once, zone);
            if (instant > fromExclusive && instant <= toInclusive) yield return instant;
            yield break;
        }

        var time = Daily ?? At!.Value;
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fromExclusive, zone).DateTime).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(toInclusive, zone).DateTime).AddDays(1);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (Weekly is not null && !Weekly.Contains(day.DayOfWeek)) continue;
            var instant = ToInstant(day.ToDateTime(time), zone);
            if (instant > fromExclusive && instant <= toInclusive) yield return instant;
        }
    }

    /// <summary>The first occurrence after <paramref name="after"/>, if any (looks ahead at most eight days: every recurring schedule occurs within a week).</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone) =>
        Once is not null
            ? Occurrences(after, DateTimeOffset.MaxValue.AddDays(-2), zone).Cast<DateTimeOffset?>().FirstOrDefault()
            : Occurrences(after, after.AddDays(8), zone).Cast<DateTimeOffset?>().FirstOrDefault();

    /// <summary>The last occurrence after <paramref name="after"/> and at or before <paramref name="atOrBefore"/>, if any (a recurring schedule looks back at most eight days).</summary>
    public DateTimeOffset? Previous(DateTimeOffset atOrBefore, DateTimeOffset after, TimeZoneInfo zone)
    {
        var from = Once is null && atOrBefore.AddDays(-8) > after ? atOrBefore.AddDays(-8) : after;
        return Occurrences(from, atOrBefore, zone).Cast<DateTimeOffset?>().LastOrDefault();
    }

    public bool IsOccurrence(DateTimeOffset instant, TimeZoneInfo zone) =>
        Occurrences(instant.AddTicks(-1), instant, zone).Any();

    /// <summary>
    /// A local wall-clock time as an instant. A time that does not exist (the hour skipped when summer time starts)
    /// happens at the same distance after the change, so 02:30 becomes 03:30; a time that exists twice (the hour
    /// repeated when summer time ends) happens the first time.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        // For a skipped time GetUtcOffset answers the offset in force before the change.
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public string Describe() => this switch
    {
        { Daily: { } daily } => $"daily {daily:HH\\:mm}",
        { Weekly: { } days, At: { } at } => $"{string.Join(", ", days.Select(d => d.ToString().ToLowerInvariant()))} at {at:HH\\:mm}",
        { Once: { } once } => $"once {once.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}",
        _ => "never",
    };
}
