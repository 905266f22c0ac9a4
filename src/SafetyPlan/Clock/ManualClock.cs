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
        lock (_gate) return _now = _now.Add(by);
    }
}
