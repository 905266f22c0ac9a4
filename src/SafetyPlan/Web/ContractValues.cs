using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;

namespace SafetyPlan.Web;

/// <summary>
/// Parsing of the contract's textual values: kebab-case enums, ISO 8601 durations, "HH:mm" times, instants (always
/// with an offset) and local date-times. Nothing here reads the server's own time zone or culture.
/// </summary>
public static partial class ContractValues
{
    public static string Kebab<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParseEnum<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Kebab(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static string Choices<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Kebab(v)));

    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith('P')) return false;
        try
        {
            duration = XmlConvert.ToTimeSpan(text.Trim());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static string Duration(TimeSpan duration) => XmlConvert.ToString(duration);

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// An instant: an ISO 8601 date and time with an offset, <c>2027-01-04T15:00:00+01:00</c> or
    /// <c>2027-01-04T14:00Z</c> (seconds and up to seven decimals optional). Without an offset it is refused, never
    /// taken as local time (api-contract.md, "Times, limits and paging"); so is an offset beyond ±14:00 or an instant
    /// outside the calendar (before 0001-01-01 or after 9999-12-31 in UTC).
    /// </summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return TryParseDateTime(text, out var local, out var offset) && offset is { } given && TryCombine(local, given, out instant);
    }

    /// <summary>
    /// A local date-time without an offset, <c>2027-03-04T10:00</c> (seconds and decimals optional): a wall-clock time
    /// whose zone the caller knows (the plan's). Anything with an offset, or in another form, is refused.
    /// </summary>
    public static bool TryParseLocalDateTime(string? text, out DateTime local) =>
        TryParseDateTime(text, out local, out var offset) && offset is null;

    /// <summary>
    /// An ISO 8601 date-time in the extended form only (<c>yyyy-MM-ddTHH:mm[:ss[.fffffff]]</c>), with an optional
    /// <c>Z</c> or <c>±HH:mm</c>; <paramref name="offset"/> is null when none was given. No other form (no
    /// <c>03-04-2027 10:00</c>, no week dates, no culture's order of day and month) is read.
    /// </summary>
    public static bool TryParseDateTime(string? text, out DateTime local, out TimeSpan? offset)
    {
        local = default;
        offset = null;
        if (text is null || text.Length > 40) return false;
        var match = IsoDateTime().Match(text);
        if (!match.Success
            || !DateTime.TryParseExact(match.Groups["local"].Value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
            return false;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var zone = match.Groups["offset"];
        if (!zone.Success) return true;
        if (zone.Value == "Z")
        {
            offset = TimeSpan.Zero;
            return true;
        }
        var hours = int.Parse(zone.Value.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(zone.Value.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (minutes > 59 || hours * 60 + minutes > 14 * 60) return false;
        offset = (zone.Value[0] == '-' ? -1 : 1) * new TimeSpan(hours, minutes, 0);
        return true;
    }

    /// <summary>A local time and an offset as an instant, when both its local and its UTC reading fit the calendar.</summary>
    private static bool TryCombine(DateTime local, TimeSpan offset, out DateTimeOffset instant)
    {
        instant = default;
        var utc = (Int128)local.Ticks - offset.Ticks;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks) return false;
        instant = new DateTimeOffset(local, offset);
        return true;
    }

    /// <summary>An instant as the contract writes it back: ISO 8601 with its own offset, seconds always, decimals when there are any.</summary>
    public static string Instant(DateTimeOffset instant) =>
        instant.ToString(instant.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>A local date-time as the contract writes it back: <c>2027-03-04T10:00</c>, with seconds only when there are any.</summary>
    public static string LocalDateTime(DateTime local) =>
        local.ToString(local.Ticks % TimeSpan.TicksPerMinute == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    // [0-9], not \d (which takes any script's digits), and \z, not $ (which allows a final line break).
    [GeneratedRegex(@"^(?<local>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?)(?<offset>Z|[+-][0-9]{2}:[0-9]{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
