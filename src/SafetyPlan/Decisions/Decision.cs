namespace SafetyPlan.Decisions;

/// <summary>
/// What a pure decision function answers: the events to append and the result to return, or that the command is
/// rejected (and nothing is appended), or that it repeats an earlier report (idempotency: nothing is appended and the
/// first result is returned).
/// </summary>
public sealed record Decision<T>
{
    public IReadOnlyList<object> Events { get; init; } = [];
    public T? Result { get; init; }
    public Rejection? Rejection { get; init; }
    public bool Repeated { get; init; }

    public bool Accepted => Rejection is null;

    public static implicit operator Decision<T>(Rejection rejection) => new() { Rejection = rejection };
}

public static class Decision
{
    public static Decision<T> Accept<T>(T result, params IEnumerable<object> events) => new() { Result = result, Events = events.ToList() };

    public static Decision<T> Repeat<T>(T result) => new() { Result = result, Repeated = true };

    /// <summary>
    /// <paramref name="next"/> on the result when <paramref name="decision"/> was accepted, else its rejection as is: how a
    /// request turned into its command (or refused) is then sent (<c>request.ToCommand(...).Then(c => bus.Decide(c, ct))</c>).
    /// </summary>
    public static async Task<Decision<TOut>> Then<TIn, TOut>(this Decision<TIn> decision, Func<TIn, Task<Decision<TOut>>> next) =>
        decision.Rejection is { } rejection ? rejection : await next(decision.Result!);
}
