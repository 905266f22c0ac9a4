using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SafetyPlan.People;

namespace SafetyPlan.Auth;

/// <summary>
/// The pages' cookie session (SafetyPlan.SignIn), besides its idle lifetime (8 hours, sliding): it ends at the latest
/// Auth:AbsoluteSessionLifetime (a TimeSpan, default 12:00:00) after signing in, however active the person is, and it ends
/// at the next request once the person's user account has been removed (<c>DELETE /api/users/{userId}</c>). Both are
/// checked whenever the cookie is read, on SafetyPlan's clock (ASVS 3.3.1, 3.3.3).
/// </summary>
public static class PageSession
{
    /// <summary>When the person signed in (the cookie's own IssuedUtc moves with every sliding renewal).</summary>
    public const string SignedInAtItem = "signed-in-at";
    /// <summary>Present when the person had a user account at sign-in: its removal then ends the session.</summary>
    public const string AccountClaim = "account";

    public static readonly TimeSpan DefaultAbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>Auth:AbsoluteSessionLifetime, positive; anything else stops the start-up.</summary>
    public static TimeSpan AbsoluteLifetime(IConfiguration configuration)
    {
        var configured = configuration["Auth:AbsoluteSessionLifetime"];
        if (string.IsNullOrWhiteSpace(configured)) return DefaultAbsoluteLifetime;
        return TimeSpan.TryParse(configured, CultureInfo.InvariantCulture, out var lifetime) && lifetime > TimeSpan.Zero
            ? lifetime
            : throw new InvalidOperationException($"Auth:AbsoluteSessionLifetime '{configured}' is not a positive time span such as 12:00:00.");
    }

    /// <summary>At sign-in: note the moment, and whether the person has an account in their organisation.</summary>
    public static async Task SigningIn(CookieSigningInContext context)
    {
        var services = context.HttpContext.RequestServices;
        context.Properties.Items[SignedInAtItem] = services.GetRequiredService<TimeProvider>().GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        if (context.Principal?.Identity is not ClaimsIdentity identity) return;
        var caller = Caller.From(context.Principal, "en");
        if (caller.IsMember || caller.UserId.Length == 0) return; // members' sessions follow their link (PersonalLinkSignIn)
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession(Organisations.Tenants.Of(caller));
        if (await session.LoadAsync<UserAccount>(caller.UserId, context.HttpContext.RequestAborted) is not null)
            identity.AddClaim(new Claim(AccountClaim, caller.UserId));
    }

    /// <summary>Every request with the cookie: past the absolute lifetime, or the account removed, signs the person out.</summary>
    public static async Task Validate(CookieValidatePrincipalContext context, TimeSpan absoluteLifetime)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var signedInAt = context.Properties.Items.TryGetValue(SignedInAtItem, out var text)
                         && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : (DateTimeOffset?)null;
        var ended = signedInAt is null || now - signedInAt.Value >= absoluteLifetime;
        if (!ended && context.Principal?.FindFirstValue(AccountClaim) is { } account)
        {
            var caller = Caller.From(context.Principal, "en");
            await using var session = services.GetRequiredService<IDocumentStore>().QuerySession(Organisations.Tenants.Of(caller));
            ended = await session.LoadAsync<UserAccount>(account, context.HttpContext.RequestAborted) is null;
        }
        if (!ended) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
    }
}
