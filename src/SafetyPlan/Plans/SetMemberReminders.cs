namespace SafetyPlan.Plans;

/// <summary>The body of PUT /api/plans/{planId}/members/{memberId}/reminders: whether the member is reminded before their agreements.</summary>
/// <param name="Reminders">true: reminded (<c>remindBefore</c> before each occurrence); false: not</param>
public sealed record SetMemberRemindersRequest(bool? Reminders)
{
    /// <summary>The command; or 400 when <c>reminders</c> is missing.</summary>
    public Decision<SetMemberReminders> ToCommand(Guid planId, Guid memberId, Caller caller)
    {
        var errors = new FieldErrors();
        if (Reminders is null) errors.Add("reminders", "'reminders' is required: true or false.", "'reminders' is verplicht: true of false.");
        return errors.ToRejection() is { } invalid ? invalid : Decision.Accept(new SetMemberReminders(planId, memberId, Reminders!.Value, caller));
    }

    /// <summary>PUT /api/plans/{planId}/members/{memberId}/reminders: 204 (also when it was already so), or 400/403/404/409.</summary>
    public static async Task<NoContentAnswer> Put(Guid planId, Guid memberId, [FromBody] SetMemberRemindersRequest request, [AsParameters] Sender send) =>
        send.NoContent(await request.ToCommand(planId, memberId, send.Caller).Then(send.Decide));
}

/// <summary>
/// A member turns their reminders off or on (../shared/domain.md, "The network in the loop": "Members can turn reminders
/// off"). A member only for themselves; a professional of the plan for any member (PlanStreams checks the plan is theirs).
/// </summary>
public sealed record SetMemberReminders(Guid PlanId, Guid MemberId, bool Reminders, Caller Caller) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    /// <summary>
    /// 403 for a member setting another member's reminders, or someone neither member nor professional; 404 for a member
    /// not (or no longer) in the network; 409 on a closed plan. Setting what is already set appends nothing.
    /// </summary>
    public static Decision<CreatedId> Decide(Plan? plan, SetMemberReminders command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        if (command.Caller.IsMember && !command.Caller.IsProfessional && command.Caller.MemberId != command.MemberId)
            return Rejection.Forbidden("You can only change your own reminders.", "U kunt alleen uw eigen herinneringen aan- of uitzetten.");
        if (!command.Caller.IsMember && !command.Caller.IsProfessional)
            return Rejection.Forbidden("Only the member themselves or a professional of the plan can change a member's reminders.",
                "Alleen het netwerklid zelf of een professional van het plan kan herinneringen aan- of uitzetten.");
        if (plan!.ActiveMember(command.MemberId) is not { } member) return PlanGuards.MemberNotFound(command.MemberId);
        if (member.RemindersOff == !command.Reminders) return Decision.Repeat(new CreatedId(command.MemberId));
        return Decision.Accept(new CreatedId(command.MemberId), new MemberRemindersSet(command.MemberId, command.Reminders, now));
    }
}
