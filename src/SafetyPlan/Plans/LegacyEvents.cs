namespace SafetyPlan.Plans;

/// <summary>
/// The first shape of <see cref="MemberAdded"/>, from before members had separate e-mail and phone fields: one free
/// "contact" text. Streams may still hold it; it is upcast to <see cref="MemberAdded"/> whenever it is read
/// (registered in <c>ConfigureEventStore</c>), so nothing downstream knows the old shape. Never appended any more.
/// </summary>
public sealed record NetworkMemberAdded(Guid MemberId, string Name, MemberRole Role, string? Contact, DateTimeOffset At)
{
    public MemberAdded Upcast()
    {
        var contact = Contact?.Trim();
        var isEmail = contact is not null && System.Net.Mail.MailAddress.TryCreate(contact, out _);
        return new MemberAdded(MemberId, Name, Role, isEmail ? contact : null, isEmail || string.IsNullOrEmpty(contact) ? null : contact, At);
    }
}
