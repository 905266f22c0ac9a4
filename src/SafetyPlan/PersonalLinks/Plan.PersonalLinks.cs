namespace SafetyPlan.Plans;

// The personal links issued for the plan's members (never the token itself).
public sealed partial class Plan
{
    /// <summary>Every personal link issued for a member of this plan (never the token itself).</summary>
    public List<PersonalLink> Links { get; set; } = [];

    private void When(PersonalLinkIssued e) => Links.Add(new PersonalLink
    {
        Id = e.LinkId, MemberId = e.MemberId, IssuedBy = e.IssuedBy, IssuedAt = e.At, ExpiresAt = e.ExpiresAt,
    });

    private void When(PersonalLinkRevoked e)
    {
        var link = Links.First(l => l.Id == e.LinkId);
        link.RevokedAt = e.At;
        link.RevocationReason = e.Reason;
    }

    private void When(PersonalLinkUsed e)
    {
        var link = Links.First(l => l.Id == e.LinkId);
        link.LastUsedAt = e.At;
        link.Uses++;
    }

    private void CopyPersonalLinksTo(Plan copy) => copy.Links = Links.Select(l => l.Copy()).ToList();
}

/// <summary>A personal link issued for a member (<see cref="PersonalLinkIssued"/>); never the token itself.</summary>
public sealed class PersonalLink
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public string IssuedBy { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevocationReason { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public int Uses { get; set; }

    internal PersonalLink Copy() => (PersonalLink)MemberwiseClone();
}
