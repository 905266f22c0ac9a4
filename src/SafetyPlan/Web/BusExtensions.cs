using SafetyPlan.Reports;

namespace SafetyPlan.Web;

/// <summary>How the endpoints and the pages send a command: through Wolverine to its one generic handler.</summary>
public static class BusExtensions
{
    /// <summary>Decides a plan command on its plan (<see cref="PlanCommandHandler{TCommand,TResult}"/>).</summary>
    public static Task<Decision<T>> Decide<T>(this IMessageBus bus, IPlanCommand<T> command, CancellationToken ct) =>
        bus.InvokeAsync<Decision<T>>(command, ct);

    /// <summary>Decides a report, idempotent by its clientId (<see cref="ReportHandler{TReport}"/>).</summary>
    public static Task<Decision<Receipt>> Decide(this IMessageBus bus, IReport report, CancellationToken ct) =>
        bus.InvokeAsync<Decision<Receipt>>(report, ct);
}
