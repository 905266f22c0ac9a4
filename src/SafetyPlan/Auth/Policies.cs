using System.Security.Claims;

namespace SafetyPlan.Auth;

/// <summary>Who may call what. Plan-level rules (a member only on their own plan, only as themselves) are decided with the plan.</summary>
public static class Policies
{
    public const string Professional = "professional";
    public const string Admin = "admin";
    public const string Auditor = "auditor";
    /// <summary>Professionals and auditors: plan lists, history.</summary>
    public const string Reader = "reader";
    /// <summary>Professionals, auditors and network members (members see only their own plan).</summary>
    public const string PlanReader = "plan-reader";
    /// <summary>Network members and professionals: check-ins, concerns, ratings.</summary>
    public const string Reporter = "reporter";
    /// <summary>Auditors and team leads: open a case audit (its decision checks the team lead's team).</summary>
    public const string CaseAuditOpener = "case-audit-opener";
    /// <summary>Professionals, auditors and team leads: read, write and sign a case audit (its participants and auditors only, decided with the plan).</summary>
    public const string CaseAuditor = "case-auditor";

    public static IServiceCollection AddSafetyPlanAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var mode = SignInMode.Of(configuration);
        PageSession.AbsoluteLifetime(configuration); // a wrong setting stops the start-up, not the first sign-in
        var authentication = services.AddAuthentication(AuthSchemes.Default);
        if (mode == DevelopmentAuthentication.Scheme)
        {
            services.AddSingleton<LoopbackOnly>();
            services.AddHostedService(sp => sp.GetRequiredService<LoopbackOnly>());
            authentication.AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, DevelopmentAuthentication>(DevelopmentAuthentication.Scheme, null);
        }
        else authentication.AddOidcSignIn(configuration);
        if (InsecureCookiesOnLoopback.Allowed(configuration)) services.AddHostedService<InsecureCookiesOnLoopback>();
        services.AddSafetyPlanSignIn();
        services.AddSingleton<RemovedAccounts>();

        authentication
            .AddCookie(AuthSchemes.Cookie, options =>
            {
                options.Cookie.Name = AuthSchemes.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                // Secure outside development sign-in (which answers on loopback only); Auth:AllowInsecureCookies=true
                // lets a test reach an Oidc server over plain http, on loopback only (InsecureCookiesOnLoopback).
                options.Cookie.SecurePolicy = mode == DevelopmentAuthentication.Scheme || InsecureCookiesOnLoopback.Allowed(configuration)
                    ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.LoginPath = AuthSchemes.SignInPath;
                options.AccessDeniedPath = AuthSchemes.AccessDeniedPath;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                // The API answers with status codes, also to a caller with the pages' cookie; only pages redirect.
                options.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden);
                options.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized);
            })
            .AddPolicyScheme(AuthSchemes.Default, "API headers or tokens, else the pages' cookie", options =>
                options.ForwardDefaultSelector = AuthSchemes.Select);
        services.AddAuthorizationBuilder()
            .AddPolicy(Professional, p => p.RequireRole(Caller.Professional))
            .AddPolicy(Admin, p => p.RequireRole(Caller.Admin))
            .AddPolicy(Auditor, p => p.RequireRole(Caller.Auditor))
            .AddPolicy(Reader, p => p.RequireRole(Caller.Professional, Caller.Auditor))
            .AddPolicy(CaseAuditOpener, p => p.RequireRole(Caller.Auditor, Caller.TeamLead))
            .AddPolicy(CaseAuditor, p => p.RequireRole(Caller.Professional, Caller.Auditor, Caller.TeamLead))
            .AddPolicy(PlanReader, p => p.RequireAssertion(c => c.User.IsInRole(Caller.Professional) || c.User.IsInRole(Caller.Auditor) || IsMember(c.User)))
            .AddPolicy(Reporter, p => p.RequireAssertion(c => c.User.IsInRole(Caller.Professional) || IsMember(c.User)));
        return services;
    }

    private static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (AuthSchemes.IsApi(context.Request)) context.Response.StatusCode = status;
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static bool IsMember(ClaimsPrincipal user) =>
        user.FindAll(ClaimTypes.Role).Any(r => r.Value.StartsWith(Caller.MemberPrefix, StringComparison.Ordinal)
                                               && Guid.TryParse(r.Value[Caller.MemberPrefix.Length..], out _));
}

public static class HttpCaller
{
    /// <summary>The caller of this request, with the language for messages taken from Accept-Language (nl or en).</summary>
    public static Caller Caller(this HttpContext http)
    {
        var language = http.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?[..Math.Min(2, l.Value.Value.Length)].ToLowerInvariant())
            .FirstOrDefault(l => l is "nl" or "en") ?? "en";
        return SafetyPlan.Auth.Caller.From(http.User, language);
    }
}
