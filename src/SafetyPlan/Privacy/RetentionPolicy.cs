using System.Text.RegularExpressions;

namespace SafetyPlan.Privacy;

/// <summary>
/// <c>Privacy:RetainAfterClose</c>: how long after a plan closes its personal data is kept, as an ISO 8601 duration.
/// Years and months are calendar years and months (P20Y after 29 February ends on 28 February), never 365-day
/// approximations, so personal data is never masked before its time. Default P20Y: the Jeugdwet's retention period
/// for youth-care files (docs/security.md, "Privacy and retention").
/// </summary>
public sealed partial record RetentionPolicy(int Years, int Months, int Days, TimeSpan Time, string Text)
{
    public const string Key = "Privacy:RetainAfterClose";
    public const string Default = "P20Y";

    public static RetentionPolicy From(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text)) text = Default;
        return TryParse(text, out var policy)
            ? policy
            : throw new InvalidOperationException($"{Key} '{text}' is not an ISO 8601 duration such as P20Y, P6M or P30D.");
    }

    public static bool TryParse(string text, out RetentionPolicy policy)
    {
        policy = null!;
        var match = Duration().Match(text.Trim());
        if (!match.Success || match.Groups.Values.Skip(1).All(g => !g.Success) || text.Trim().EndsWith('T')) return false;
        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var time = new TimeSpan(Part("h"), Part("min"), Part("s"));
        if (Part("y") + Part("mon") + Part("w") + Part("d") == 0 && time == TimeSpan.Zero) return false;
        policy = new RetentionPolicy(Part("y"), Part("mon"), 7 * Part("w") + Part("d"), time, text.Trim());
        return true;
    }

    /// <summary>The moment personal data of a plan closed at <paramref name="closedAt"/> may be masked (never, past 9999).</summary>
    public DateTimeOffset ExpiresAt(DateTimeOffset closedAt)
    {
        try { return closedAt.AddYears(Years).AddMonths(Months).AddDays(Days).Add(Time); }
        catch (ArgumentOutOfRangeException) { return DateTimeOffset.MaxValue; } // the calendar's end: not an error of the retention pass
    }

    /// <summary>Plans closed at or before this moment may be due (an early bound: <see cref="ExpiresAt"/> decides).</summary>
    public DateTimeOffset ClosedNoLaterThan(DateTimeOffset now)
    {
        try { return now.Subtract(Time).AddDays(-Days).AddMonths(-Months).AddYears(-Years).AddDays(3); }
        catch (ArgumentOutOfRangeException) { return DateTimeOffset.MinValue; }
    }

    public string Describe() => $"{Key}={Text}";

    [GeneratedRegex(@"^P(?:(?<y>\d{1,3})Y)?(?:(?<mon>\d{1,4})M)?(?:(?<w>\d{1,4})W)?(?:(?<d>\d{1,5})D)?(?:T(?:(?<h>\d{1,5})H)?(?:(?<min>\d{1,5})M)?(?:(?<s>\d{1,6})S)?)?$")]
    private static partial Regex Duration();
}
