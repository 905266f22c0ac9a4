using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using Wolverine;

namespace SafetyPlan.Web;

public static class BusExtensions
{
    /// <summary>Sends a command to its Wolverine handler and answers the HTTP request with its decision.</summary>
    public static async Task<IResult> Decide<T>(
        this IMessageBus bus, object command, Caller caller, CancellationToken ct, Func<T, string>? createdAt = null)
    {
        var decision = await bus.InvokeAsync<Decision<T>>(command, ct);
        return decision.ToHttp(caller, createdAt);
    }

    /// <summary>For removals and withdrawals: 204 when accepted.</summary>
    public static async Task<IResult> DecideNoContent<T>(this IMessageBus bus, object command, Caller caller, CancellationToken ct)
    {
        var decision = await bus.InvokeAsync<Decision<T>>(command, ct);
        return decision.Accepted ? Results.NoContent() : decision.ToHttp(caller);
    }
}
