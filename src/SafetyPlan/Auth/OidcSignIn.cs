using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace SafetyPlan.Auth;

/// <summary>
/// Auth:Mode=Oidc: professionals, auditors and admins sign in at the organisation's OpenID Connect provider. The API takes
/// its access tokens (JWT bearer); pages sign in with the authorization-code flow into the pages' cookie. Both map the
/// token onto the claims <see cref="Caller"/> reads: subject → user id, the role claim → roles, the organisation claim.
/// </summary>
public static class OidcSignIn
{
    public const string Mode = "Oidc";
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string SignInPath = "/sign-in/oidc";
    public const string SignOutPath = "/sign-out";

    /// <summary>Roles a provider may grant (<c>operator</c>: the installation's operator, who may trigger jobs on the job dashboard). Network members never come from the provider: they sign in with a personal link.</summary>
    private static readonly string[] ProviderRoles = [Caller.Professional, Caller.Auditor, Caller.Admin, Caller.Operator, Caller.TeamLead];

    /// <param name="RequireMfa">Auth:RequireMfa (default false): a token must show a second factor (<see cref="ShowsSecondFactor"/>)</param>
    /// <param name="MfaAcrValues">Auth:MfaAcrValues (comma-separated): <c>acr</c> values that count as a second factor; default the eIDAS levels substantial and high</param>
    public sealed record Settings(
        string Authority, string Audience, string ClientId, string? ClientSecret, string RoleClaim, string OrganisationClaim,
        bool RequireHttpsMetadata, bool RequireMfa = false, IReadOnlyList<string>? MfaAcrValues = null)
    {
        public static Settings From(IConfiguration configuration)
        {
            var authority = configuration["Auth:Authority"];
            var audience = configuration["Auth:Audience"];
            if (string.IsNullOrWhiteSpace(authority) || string.IsNullOrWhiteSpace(audience))
                throw new InvalidOperationException("Auth:Mode=Oidc needs Auth:Authority (the provider's issuer URL) and Auth:Audience (this API's audience).");
            return new Settings(authority.TrimEnd('/'), audience,
                configuration["Auth:ClientId"] is { Length: > 0 } clientId ? clientId : audience,
                configuration["Auth:ClientSecret"],
                configuration["Auth:RoleClaim"] is { Length: > 0 } role ? role : "roles",
                configuration["Auth:OrganisationClaim"] is { Length: > 0 } organisation ? organisation : "organisation",
                configuration.GetValue("Auth:RequireHttpsMetadata", true),
                configuration.GetValue("Auth:RequireMfa", false),
                configuration["Auth:MfaAcrValues"] is { Length: > 0 } acr
                    ? acr.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : ["http://eidas.europa.eu/LoA/substantial", "http://eidas.europa.eu/LoA/high"]);
        }
    }

    public static AuthenticationBuilder AddOidcSignIn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var settings = Settings.From(configuration);
        authentication.AddJwtBearer(AuthSchemes.Bearer, options =>
        {
            options.Authority = settings.Authority;
            options.Audience = settings.Audience;
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            options.MapInboundClaims = false;
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => Map(context.Principal, settings, p => context.Principal = p, message =>
                {
                    Audit.SecurityEvents.SignInRefused(context.HttpContext, context.Principal?.FindFirstValue("sub"), message);
                    context.Fail(message);
                }),
            };
        });
        authentication.AddOpenIdConnect(Scheme, options =>
        {
            options.Authority = settings.Authority;
            options.ClientId = settings.ClientId;
            options.ClientSecret = settings.ClientSecret;
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            options.ResponseType = "code";
            options.UsePkce = true;
            // The provider sends the code back with a plain redirect, so the correlation cookies can be SameSite=Lax.
            options.ResponseMode = "query";
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SignInScheme = AuthSchemes.Cookie;
            options.MapInboundClaims = false;
            options.SaveTokens = false;
            options.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = context => Map(context.Principal, settings, p => context.Principal = p, message =>
                {
                    Audit.SecurityEvents.SignInRefused(context.HttpContext, context.Principal?.FindFirstValue("sub"), message);
                    context.Fail(message);
                }),
                // A replayed, forged or stale callback is the visitor's problem to retry, not a server error.
                OnRemoteFailure = async context =>
                {
                    Audit.SecurityEvents.SignInRefused(context.HttpContext, null, context.Failure?.GetType().Name ?? "remote-failure");
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(
                        $"<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>SafetyPlan</title></head><body><main>" +
                        $"<h1>Aanmelden is niet gelukt</h1><p><a href=\"{SignInPath}\">Probeer het opnieuw</a>.</p>" +
                        $"<p lang=\"en\">Signing in did not succeed. <a href=\"{SignInPath}\">Try again</a>.</p></main></body></html>");
                },
            };
        });
        // A token's lifetime is judged on SafetyPlan's clock (the manual clock in tests), like everything else.
        authentication.Services.AddOptions<JwtBearerOptions>(AuthSchemes.Bearer).Configure<TimeProvider>((o, clock) => o.TokenValidationParameters.LifetimeValidator = Lifetime(clock));
        authentication.Services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<TimeProvider>((o, clock) => o.TokenValidationParameters.LifetimeValidator = Lifetime(clock));
        return authentication;
    }

    /// <summary>GET /sign-in/oidc?returnUrl= starts the provider's sign-in (Oidc mode only); POST /sign-out ends the pages' cookie (any mode).</summary>
    public static void Map(WebApplication app)
    {
        if (app.Configuration["Auth:Mode"] == Mode)
        {
            app.MapGet(SignInPath, (string? returnUrl) => Results.Challenge(
                    new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, authenticationSchemes: new List<string> { Scheme }))
                .AllowAnonymous().ExcludeFromDescription();
        }
        app.MapPost(SignOutPath, async (HttpContext http) =>
            {
                await http.SignOutAsync(AuthSchemes.Cookie);
                return Results.Redirect("/");
            })
            .AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>Only a path on this server: never an open redirect to somewhere else.</summary>
    public static string LocalOnly(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                                       && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/";

    private static Task Map(ClaimsPrincipal? token, Settings settings, Action<ClaimsPrincipal> set, Action<string> fail)
    {
        if (token is null) fail("No token.");
        else if (Refusal(token, settings) is { } refused) fail(refused);
        else set(MapClaims(token, settings)!);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Why a validated token still signs nobody in, or null: it names no subject; it names no organisation (a caller is
    /// never put in the <c>default</c> organisation by omission); or Auth:RequireMfa is on and it shows no second factor.
    /// </summary>
    public static string? Refusal(ClaimsPrincipal token, Settings settings)
    {
        if (string.IsNullOrWhiteSpace(token.FindFirstValue("sub"))) return "The token names no subject.";
        if (string.IsNullOrWhiteSpace(token.FindFirstValue(settings.OrganisationClaim)))
            return $"The token names no organisation (claim '{settings.OrganisationClaim}', Auth:OrganisationClaim).";
        if (settings.RequireMfa && !ShowsSecondFactor(token, settings))
            return "The token shows no second factor (amr or acr), and Auth:RequireMfa is on.";
        return null;
    }

    /// <summary>
    /// Authentication methods (RFC 8176 <c>amr</c> values) that are a factor besides a password: <c>mfa</c> itself, one-time
    /// codes, hardware or software keys, smart cards, biometrics, phone confirmation.
    /// </summary>
    private static readonly string[] SecondFactors = ["mfa", "otp", "hwk", "swk", "sc", "sms", "tel", "fpt", "face", "iris", "retina", "vbm"];

    /// <summary>Whether the token's <c>amr</c> names a second factor (<see cref="SecondFactors"/>) or its <c>acr</c> is one of Auth:MfaAcrValues.</summary>
    public static bool ShowsSecondFactor(ClaimsPrincipal token, Settings settings) =>
        token.FindAll("amr").SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).Any(SecondFactors.Contains)
        || (token.FindFirstValue("acr") is { Length: > 0 } acr && (settings.MfaAcrValues ?? []).Contains(acr));

    /// <summary>The provider's token as SafetyPlan's claims, or null when it names nobody (<see cref="Refusal"/> decides whether it may sign in).</summary>
    public static ClaimsPrincipal? MapClaims(ClaimsPrincipal token, Settings settings)
    {
        var subject = token.FindFirstValue("sub");
        if (string.IsNullOrWhiteSpace(subject)) return null;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, subject),
            new(ClaimTypes.Name, token.FindFirstValue("name") ?? token.FindFirstValue("preferred_username") ?? subject),
        };
        claims.AddRange(token.FindAll(settings.RoleClaim)
            .SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(ProviderRoles.Contains).Distinct()
            .Select(role => new Claim(ClaimTypes.Role, role)));
        if (token.FindFirstValue(settings.OrganisationClaim) is { Length: > 0 } organisation)
            claims.Add(new Claim(Caller.OrganisationClaim, organisation));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Mode, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static LifetimeValidator Lifetime(TimeProvider clock) => (notBefore, expires, _, parameters) =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (expires is null) return false;
        return (notBefore is null || notBefore.Value <= now + parameters.ClockSkew) && expires.Value > now - parameters.ClockSkew;
    };
}
