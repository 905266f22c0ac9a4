namespace SafetyPlan.Clock;

/// <summary>
/// A clock that stands still until moved (Clock:Mode=Manual), for tests, demos and simulations. Never in production.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate) _now = now.ToUniversalTime();
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate) return _now = _now.Plus(by);
    }

    /// <summary>
    /// The latest moment the manual clock may show: far beyond any plan, and far enough from year 9999 that every
    /// horizon added to "now" (two years of evaluations, a retention period) still fits the calendar.
    /// </summary>
    public static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// <c>Clock:Start</c>: an instant with an offset (<c>2027-01-04T08:00:00+01:00</c>), or absent (the system's now).
    /// Anything else stops the start-up: read without an offset it would be the server's own local time.
    /// </summary>
    public static DateTimeOffset? StartFrom(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? null
        : ContractValues.TryParseInstant(configured.Trim(), out var start) && start <= Latest ? start
        : throw new InvalidOperationException(
            $"Clock:Start '{configured}' is not an instant with an offset before 9000-01-01, such as 2027-01-04T08:00:00+01:00.");
}
