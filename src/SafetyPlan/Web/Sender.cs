using SafetyPlan.Reports;

namespace SafetyPlan.Web;

/// <summary>
/// What every command endpoint needs, bound by <c>[AsParameters]</c>: the caller, Wolverine's bus and the request's
/// cancellation. An endpoint reads as request → command (<c>ToCommand</c>) → <see cref="Decide{T}"/> → typed answer;
/// its route, policy and summary stand in <see cref="Api"/>.
/// </summary>
public readonly record struct Sender(HttpContext Http, IMessageBus Bus, CancellationToken Cancellation)
{
    /// <summary>The signed-in caller (<see cref="CallerExtensions"/>).</summary>
    public Caller Caller => Http.Caller();

    /// <summary>Decides a plan command on its plan (<see cref="PlanCommandHandler{TCommand,TResult}"/>).</summary>
    public Task<Decision<T>> Decide<T>(IPlanCommand<T> command) => Bus.Decide(command, Cancellation);

    /// <summary>Decides a report, idempotent by its clientId (<see cref="ReportHandler{TReport}"/>).</summary>
    public Task<Decision<Receipt>> Report(IReport report) => Bus.Decide(report, Cancellation);

    /// <summary>201 with <paramref name="location"/>; 200 with the first result for a repeat; or the rejection.</summary>
    public CreatedAnswer<T> Created<T>(Decision<T> decision, Func<T, string> location) => decision.Created(Caller, location);

    /// <summary>200 with the result, or the rejection.</summary>
    public OkAnswer<T> Ok<T>(Decision<T> decision) => decision.Ok(Caller);

    /// <summary>204 for a removal or withdrawal (also when repeated), or the rejection.</summary>
    public NoContentAnswer NoContent<T>(Decision<T> decision) => decision.NoContent(Caller);
}
