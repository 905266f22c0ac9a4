using System.Security.Claims;

namespace SafetyPlan.Auth;

/// <summary>Who is calling, as the domain sees it: a user id and roles, or a network member of one plan.</summary>
public sealed record Caller(string UserId, IReadOnlySet<string> Roles, Guid? MemberId, string Language)
{
    public const string Professional = "professional";
    public const string Auditor = "auditor";
    public const string Admin = "admin";
    /// <summary>Leads a team (their <see cref="Team"/>, else their account's): may open a case audit of a professional of that team (docs/security.md).</summary>
    public const string TeamLead = "teamlead";
    /// <summary>Runs the installation (not a role of an organisation): may act on jobs in the Hangfire dashboard.</summary>
    public const string Operator = "operator";
    public const string MemberPrefix = "member:";
    /// <summary>The claim that names the caller's organisation (the Marten tenant their cases live in).</summary>
    public const string OrganisationClaim = "organisation";
    /// <summary>The organisation of a caller that names none (the embedded set-up, the demo, the tests).</summary>
    public const string DefaultOrganisation = "default";
    /// <summary>The claim that names the caller's team, when sign-in knows it (else the user account's team counts).</summary>
    public const string TeamClaim = "team";

    /// <summary>The organisation whose cases this caller works on; no request crosses organisations.</summary>
    public string Organisation { get; init; } = DefaultOrganisation;

    /// <summary>The team named at sign-in, if any (see <see cref="People.UserAccount.Team"/> for the other source).</summary>
    public string? Team { get; init; }

    /// <summary>SafetyPlan itself (scheduled work, the demo seed): never taken from a request's claims.</summary>
    public bool IsSystem { get; init; }

    public bool IsProfessional => Roles.Contains(Professional);
    public bool IsAuditor => Roles.Contains(Auditor);
    public bool IsAdmin => Roles.Contains(Admin);
    public bool IsTeamLead => Roles.Contains(TeamLead);
    public bool IsMember => MemberId is not null;

    public string RoleList => string.Join(',', Roles.Order());

    public static Caller From(ClaimsPrincipal user, string language)
    {
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet();
        var member = roles.Where(r => r.StartsWith(MemberPrefix, StringComparison.Ordinal))
            .Select(r => Guid.TryParse(r[MemberPrefix.Length..], out var id) ? id : (Guid?)null)
            .FirstOrDefault(id => id is not null);
        var organisation = user.FindFirstValue(OrganisationClaim);
        var team = user.FindFirstValue(TeamClaim);
        return new Caller(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", roles, member, language)
        {
            Organisation = string.IsNullOrWhiteSpace(organisation) ? DefaultOrganisation : organisation,
            Team = string.IsNullOrWhiteSpace(team) ? null : team,
        };
    }

    /// <summary>The system itself (demo seed, scheduled work).</summary>
    public static Caller System(string name) => new(name, new HashSet<string> { Professional, "system" }, null, "en") { IsSystem = true };
}
