using System.Reflection;
using SafetyPlan.Reports;

namespace SafetyPlan.Plans;

/// <summary>
/// A command decided on one plan's stream: its pure decision answers <typeparamref name="TResult"/> or a typed, bilingual
/// rejection. Every plan command is handled by <see cref="PlanCommandHandler{TCommand,TResult}"/>: write the record and
/// its decision, and nothing else.
/// </summary>
/// <typeparam name="TResult">what an accepted command answers (for example <see cref="CreatedId"/>)</typeparam>
public interface IPlanCommand<TResult>
{
    /// <summary>The plan's stream; a plan of another organisation than <see cref="Caller"/>'s does not exist to it.</summary>
    Guid PlanId { get; }

    /// <summary>Who sends it: decides the organisation, the rights, and what the events record as their author.</summary>
    Caller Caller { get; }

    /// <summary>
    /// The pure decision: the events to append on <paramref name="plan"/> (null when the plan does not exist) at
    /// <paramref name="now"/>, or a rejection. No I/O, no clock: the same plan and time decide the same events.
    /// </summary>
    Decision<TResult> Decide(Plan? plan, DateTimeOffset now);
}

/// <summary>
/// The one Wolverine handler of every plan command: load, decide, append (<see cref="PlanStreams.Decide{T}"/>), the
/// command's type name as the events' cause. Closed once per command type at start-up (<see cref="PlanCommandHandlers"/>).
/// </summary>
public static class PlanCommandHandler<TCommand, TResult> where TCommand : IPlanCommand<TResult>
{
    public static Task<Decision<TResult>> Handle(TCommand command, PlanStreams plans, CancellationToken ct) =>
        plans.Decide(command.PlanId, command.Caller, typeof(TCommand).Name, command.Decide, ct, ownAccess: command is IDecidesItsOwnAccess);
}

/// <summary>
/// A plan command whose pure decision itself says who may send it, instead of <see cref="PlanAccess.MayChange"/> (who
/// works on the plan): the case audit, sent by auditors and team leads who do not work on the plan, and then only by its
/// two participants (CaseAudits/); the response to an escalation, by whoever the escalation names now (its monitor,
/// backup or duty professional, not a team colleague).
/// </summary>
public interface IDecidesItsOwnAccess;

/// <summary>
/// Registers the generic handlers with Wolverine, closed for each command type in the assembly. Wolverine 6 routes a
/// message by its exact type (its local routing asks HandlerGraph.CanHandle(type), which knows the handled types and not
/// the interfaces they implement), so one handler of <see cref="IPlanCommand{TResult}"/> itself would never be found for
/// a concrete command; a closed generic handler per command type is, and keeps the command going through the bus.
/// </summary>
public static class PlanCommandHandlers
{
    public static void Register(WolverineOptions options, Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var command in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPlanCommand<>)))
                options.Discovery.IncludeType(typeof(PlanCommandHandler<,>).MakeGenericType(type, command.GetGenericArguments()[0]));
            if (type.IsAssignableTo(typeof(IReport)))
                options.Discovery.IncludeType(typeof(ReportHandler<>).MakeGenericType(type));
        }
    }
}
