using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using SafetyPlan.Demo;

namespace SafetyPlan.Pages;

/// <summary>
/// Auth:Mode=Development: pick who you are (a user id and roles, or a person of the demo case) and get the pages' cookie
/// with exactly the claims the development headers give. Any other mode signs in through OIDC.
/// </summary>
public sealed class SignInModel(IConfiguration configuration, IQuerySession session) : AppPage
{
    public sealed record Person(string UserId, string Roles, string Name);

    public List<Person> People { get; } = [];

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? UserId { get; set; }
    [BindProperty] public string? Roles { get; set; }
    [BindProperty] public string? Organisation { get; set; }

    private bool Development => (configuration["Auth:Mode"] ?? DevelopmentAuthentication.Scheme) == DevelopmentAuthentication.Scheme;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!Development) return Redirect($"/sign-in/oidc?returnUrl={Uri.EscapeDataString(SafeReturnUrl ?? "/")}");
        await LoadPeople(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Development) return NotFound();
        var user = UserId?.Trim() ?? "";
        var roles = Roles?.Trim() ?? "";
        var organisation = Organisation?.Trim() ?? "";
        if (user.Length is 0 or > 100 || roles.Length is 0 or > 1000 || organisation.Length > 100
            || FieldErrors.IsUnsafeIdentifier(user + roles + organisation))
        {
            Error = T.SignInInvalid;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadPeople(ct);
            return Page();
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(DevelopmentAuthentication.Claims(user, roles, organisation), AuthSchemes.Cookie));
        await HttpContext.SignInAsync(AuthSchemes.Cookie, principal);
        var caller = Caller.From(principal, Language);
        return LocalRedirect(SafeReturnUrl ?? (caller.IsMember && !caller.IsProfessional && !caller.IsAuditor ? "/member" : "/"));
    }

    private string? SafeReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    private async Task LoadPeople(CancellationToken ct)
    {
        People.Add(new Person(DemoCase.MonitorId, Caller.Professional, "Anna de Vries"));
        People.Add(new Person(DemoCase.BackupId, Caller.Professional, "Bart Peeters"));
        People.Add(new Person("auditor", Caller.Auditor, T.RoleAuditor));
        var demo = await session.LoadAsync<Plan>(DemoCase.PlanId, ct);
        foreach (var member in demo?.Members.Where(m => m.RemovedAt is null) ?? [])
            People.Add(new Person(member.Name.Split(' ')[0].ToLowerInvariant(), Caller.MemberPrefix + member.Id, member.Name));
    }
}
