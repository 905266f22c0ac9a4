using System.Globalization;
using SafetyPlan.Decisions;
using SafetyPlan.Web;

namespace SafetyPlan.Agreements;

/// <summary>The contract's schedule: <c>{ "daily": "18:00" }</c>, <c>{ "weekly": ["monday"], "at": "19:00" }</c> or <c>{ "once": "2027-01-05T18:00+01:00" }</c>.</summary>
public sealed record ScheduleRequest(string? Daily, string[]? Weekly, string? At, string? Once)
{
    public static ScheduleRequest From(Schedule schedule) => new(
        schedule.Daily is { } d ? ContractValues.Time(d) : null,
        schedule.Weekly?.Select(w => w.ToString().ToLowerInvariant()).ToArray(),
        schedule.At is { } at ? ContractValues.Time(at) : null,
        schedule.Once?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));

    /// <summary>Validates and converts; a schedule that can never occur again (a single time in the past) is refused.</summary>
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
                if (Enum.TryParse<DayOfWeek>(name, ignoreCase: true, out var day) && Enum.IsDefined(day) && !int.TryParse(name, out _))
                {
                    if (!days.Contains(day)) days.Add(day);
                }
                else
                {
                    errors.Add("schedule.weekly", $"'{name}' is not a weekday (monday ... sunday).", $"'{name}' is geen weekdag (monday ... sunday).");
                }
            }
            if (Weekly.Length == 0)
                errors.Add("schedule.weekly", "'weekly' needs at least one day.", "'weekly' heeft minstens één dag nodig.");
            if (!ContractValues.TryParseTime(At, out var at))
                errors.Add("schedule.at", "'at' must be a time such as 19:00.", "'at' moet een tijd zijn zoals 19:00.");
            return errors.Any ? null : new Schedule(Weekly: days.Order().ToList(), At: at);
        }

        DateTime local;
        if (DateTimeOffset.TryParse(Once, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && HasOffset(Once!))
            local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        else if (DateTime.TryParse(Once, CultureInfo.InvariantCulture, DateTimeStyles.None, out var plain))
            local = plain;
        else
        {
            errors.Add("schedule.once", "'once' must be a date and time such as 2027-01-05T18:00+01:00.",
                "'once' moet een datum en tijd zijn zoals 2027-01-05T18:00+01:00.");
            return null;
        }
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Schedule.ToInstant(local, zone) <= now)
        {
            errors.Add("schedule.once", "This moment has already passed, so the agreement could never occur.",
                "Dit moment is al voorbij, dus de afspraak kan nooit meer plaatsvinden.");
            return null;
        }
        return new Schedule(Once: local);
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$");
}
