using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SafetyPlan.Auth;

/// <summary>
/// Auth:Mode=Development: the headers X-User and X-Roles (and optionally X-Organisation) sign a caller in. For the embedded set-up and tests only,
/// and only on loopback (<see cref="LoopbackOnly"/>);
/// production modes (OIDC, personal links) map onto the same roles.
/// </summary>
public sealed class DevelopmentAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "Development";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers["X-User"].ToString().Trim();
        if (user.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        var roles = Request.Headers["X-Roles"].ToString();
        var organisation = Request.Headers["X-Organisation"].ToString().Trim();
        if (user.Length > 100 || roles.Length > 1000 || organisation.Length > 100 || Decisions.FieldErrors.IsUnsafeIdentifier(user + roles + organisation))
            return Task.FromResult(AuthenticateResult.Fail("X-User, X-Roles or X-Organisation is too long or holds control characters."));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(Claims(user, roles, organisation), Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme)));
    }

    /// <summary>The claims of a development identity; the development sign-in page puts the same ones in the pages' cookie.</summary>
    public static List<Claim> Claims(string user, string roles, string? organisation)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user), new(ClaimTypes.Name, user) };
        if (!string.IsNullOrWhiteSpace(organisation)) claims.Add(new Claim(Caller.OrganisationClaim, organisation));
        foreach (var role in roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            claims.Add(new Claim(ClaimTypes.Role, role));
        return claims;
    }
}
