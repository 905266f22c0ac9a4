using System.Net.Mail;

namespace SafetyPlan.Plans;

/// <summary>A network member as sent to POST /api/plans/{planId}/members and from the conference page.</summary>
/// <param name="Role">parent, child, network or professional</param>
/// <param name="Language">nl or en: the language of messages to the member; absent: nl</param>
/// <param name="Reminders">whether the member is reminded before their agreements' occurrences; absent: true</param>
public sealed record AddMemberRequest(
    [property: MaxLength(Bounds.NameLength)] string? Name, string? Role, [property: MaxLength(Bounds.EmailLength)] string? Email,
    [property: MaxLength(Bounds.PhoneLength)] string? Phone, string? Language = null, bool? Reminders = null)
{
    /// <summary>The one place this request becomes its command (the API and the conference page): a new member id, a blank e-mail or phone absent; or 400 naming every wrong field.</summary>
    public Decision<AddMember> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().Required("name", Name, Bounds.NameLength)
            .Optional("email", Email, Bounds.EmailLength).Optional("phone", Phone, Bounds.PhoneLength);
        if (!ContractValues.TryParseEnum(Role, out MemberRole role))
            errors.Add("role", $"'role' must be one of: {ContractValues.Choices<MemberRole>()}.",
                $"'role' moet een van deze zijn: {ContractValues.Choices<MemberRole>()}.");
        if (!string.IsNullOrWhiteSpace(Email) && !MailAddress.TryCreate(Email.Trim(), out _))
            errors.Add("email", "'email' is not an e-mail address.", "'email' is geen e-mailadres.");
        if (Language is not (null or "nl" or "en"))
            errors.Add("language", "'language' must be nl or en.", "'language' moet nl of en zijn.");
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new AddMember(planId, Guid.NewGuid(), Name!, role,
            string.IsNullOrWhiteSpace(Email) ? null : Email, string.IsNullOrWhiteSpace(Phone) ? null : Phone, caller,
            Language, Reminders));
    }

    /// <summary>POST /api/plans/{planId}/members: 201 with the member's id, or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<CreatedId>> Post(Guid planId, [FromBody] AddMemberRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Decide), member => $"/api/plans/{planId}/members/{member.Id}");
}

public sealed record AddMember(Guid PlanId, Guid MemberId, string Name, MemberRole Role, string? Email, string? Phone, Caller Caller,
    string? Language = null, bool? Reminders = null) : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CreatedId> Decide(Plan? plan, AddMember command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        return Decision.Accept(new CreatedId(command.MemberId),
            new MemberAdded(command.MemberId, command.Name.Trim(), command.Role, command.Email?.Trim(), command.Phone?.Trim(), now,
                command.Language, command.Reminders));
    }
}
