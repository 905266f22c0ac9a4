namespace SafetyPlan.Agreements;

/// <summary>
/// The contract's schedule (api-contract.md, "Plans" and "Times, limits and paging"): <c>{ "daily": "18:00" }</c>,
/// <c>{ "weekly": ["monday", "thursday"], "at": "19:00" }</c> (day names, one per item, each at most once) or
/// <c>{ "once": "2027-03-04T10:00" }</c> (a wall-clock time in the plan's zone) or
/// <c>{ "once": "2027-10-31T02:30:00+01:00" }</c> (an instant with an offset, kept as that instant).
/// </summary>
public sealed record ScheduleRequest(string? Daily, [property: MaxLength(7)] string[]? Weekly, string? At, string? Once)
{
    /// <summary>The schedule as the plan's status shows it: the same form it was given in, so that it can be sent back as it is.</summary>
    public static ScheduleRequest From(Schedule schedule) => new(
        schedule.Daily is { } d ? ContractValues.Time(d) : null,
        schedule.Weekly?.Select(DayName).ToArray(),
        schedule.At is { } at ? ContractValues.Time(at) : null,
        schedule.OnceAt is { } instant ? ContractValues.Instant(instant)
        : schedule.Once is { } local ? ContractValues.LocalDateTime(local)
        : null);

    /// <summary>
    /// Validates and converts; field errors (400) under <c>schedule</c>, <c>schedule.daily</c>, <c>schedule.weekly</c>,
    /// <c>schedule.at</c>, <c>schedule.once</c>. A schedule that can never occur again (once, in the past) is refused.
    /// </summary>
    public Schedule? Parse(FieldErrors errors, TimeZoneInfo zone, DateTimeOffset now)
    {
        var kinds = (Daily is null ? 0 : 1) + (Weekly is null ? 0 : 1) + (Once is null ? 0 : 1);
        if (kinds != 1)
        {
            errors.Add("schedule", "Give exactly one of 'daily', 'weekly' (with 'at') or 'once'.",
                "Geef precies één van 'daily', 'weekly' (met 'at') of 'once'.");
            return null;
        }

        if (Daily is not null)
        {
            if (ContractValues.TryParseTime(Daily, out var time)) return new Schedule(Daily: time);
            errors.Add("schedule.daily", "'daily' must be a time such as 18:00.", "'daily' moet een tijd zijn zoals 18:00.");
            return null;
        }

        if (Weekly is not null)
        {
            var days = new List<DayOfWeek>();
            foreach (var name in Weekly)
            {
                if (Day(name) is not { } day)
                    errors.Add("schedule.weekly", $"'{Shown(name)}' is not a weekday: give one day name per item (monday ... sunday).",
                        $"'{Shown(name)}' is geen weekdag: geef één dagnaam per item (monday ... sunday).");
                else if (days.Contains(day))
                    errors.Add("schedule.weekly", $"'{DayName(day)}' is named more than once.", $"'{DayName(day)}' staat er meer dan eens in.");
                else
                    days.Add(day);
            }
            if (Weekly.Length == 0)
                errors.Add("schedule.weekly", "'weekly' needs at least one day.", "'weekly' heeft minstens één dag nodig.");
            if (!ContractValues.TryParseTime(At, out var at))
                errors.Add("schedule.at", "'at' must be a time such as 19:00.", "'at' moet een tijd zijn zoals 19:00.");
            return errors.Any ? null : new Schedule(Weekly: days.Order().ToList(), At: at);
        }

        if (!ContractValues.TryParseDateTime(Once, out var local, out var offset) || (offset is not null && !ContractValues.TryParseInstant(Once, out _)))
        {
            errors.Add("schedule.once", "'once' must be a local date and time such as 2027-03-04T10:00, or an instant with an offset such as 2027-03-04T10:00:00+01:00.",
                "'once' moet een lokale datum en tijd zijn zoals 2027-03-04T10:00, of een moment met een offset zoals 2027-03-04T10:00:00+01:00.");
            return null;
        }
        var schedule = offset is null ? new Schedule(Once: local) : new Schedule(OnceAt: new DateTimeOffset(local, offset.Value));
        if (schedule.OnceInstant(zone) <= now)
        {
            errors.Add("schedule.once", "This moment has already passed, so the agreement could never occur.",
                "Dit moment is al voorbij, dus de afspraak kan nooit meer plaatsvinden.");
            return null;
        }
        return schedule;
    }

    private static readonly DayOfWeek[] Days = Enum.GetValues<DayOfWeek>();

    /// <summary>A day by its English name, one name only: not a number, not a comma list (which Enum.TryParse would OR into another day).</summary>
    private static DayOfWeek? Day(string? name) =>
        Days.Select(d => (DayOfWeek?)d).FirstOrDefault(d => string.Equals(DayName(d!.Value), name, StringComparison.OrdinalIgnoreCase));

    private static string DayName(DayOfWeek day) => day.ToString().ToLowerInvariant();

    /// <summary>A client's value quoted back in a message: at most 40 characters.</summary>
    private static string Shown(string? value) => value is null ? "null" : value.Length <= 40 ? value : value[..40] + "…";
}
