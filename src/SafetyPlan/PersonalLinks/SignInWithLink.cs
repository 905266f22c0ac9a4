using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace SafetyPlan.PersonalLinks;

/// <summary>
/// A network member opens their personal link: it counts while SafetyPlan signed it, it has not expired (SafetyPlan's clock),
/// it was not revoked, the member is still in the network and the plan is not closed. Then the member is signed in with the
/// pages' cookie as <c>member:&lt;memberId&gt;</c> of that one plan, and the use is an event.
/// </summary>
public sealed record UsePersonalLink(LinkClaims Link, Caller Caller) : IPlanCommand<LinkClaims>
{
    Guid IPlanCommand<LinkClaims>.PlanId => Link.PlanId;
    Decision<LinkClaims> IPlanCommand<LinkClaims>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    /// <summary>Opening the link again within this time (a double click, a reload) is the same sign-in: no second event.</summary>
    public static readonly TimeSpan SameSignIn = TimeSpan.FromMinutes(2);

    public static Decision<LinkClaims> Decide(Plan? plan, UsePersonalLink command, DateTimeOffset now)
    {
        if (Refusal(plan, command.Link.LinkId, command.Link.MemberId, now) is { } refused) return refused;
        if (command.Link.ExpiresAt <= now) return Expired;
        var link = plan!.Links.First(l => l.Id == command.Link.LinkId);
        if (link.LastUsedAt is { } last && now - last < SameSignIn) return Decision.Repeat(command.Link);
        return Decision.Accept(command.Link, new PersonalLinkUsed(link.Id, link.MemberId, now));
    }

    /// <summary>Why this link no longer signs anyone in, or null while it does; also asked on every request of a member signed in with it.</summary>
    public static Rejection? Refusal(Plan? plan, Guid linkId, Guid memberId, DateTimeOffset now)
    {
        var link = plan?.Links.FirstOrDefault(l => l.Id == linkId && l.MemberId == memberId);
        if (plan is null || link is null) return NotValid;
        if (link.RevokedAt is not null)
            return Rejection.Forbidden("This link has been revoked. Ask your professional for a new link.",
                "Deze link is ingetrokken. Vraag uw hulpverlener om een nieuwe link.");
        if (link.ExpiresAt <= now) return Expired;
        if (plan.ActiveMember(memberId) is null)
            return Rejection.Forbidden("You are no longer part of this plan's network.", "U maakt geen deel meer uit van het netwerk van dit plan.");
        if (plan.State == PlanState.Closed)
            return Rejection.Forbidden("This safety plan has been closed.", "Dit veiligheidsplan is afgesloten.");
        return null;
    }

    public static readonly Rejection NotValid = Rejection.Forbidden(
        "This link is not valid. Check that you opened the whole link, or ask your professional for a new one.",
        "Deze link is niet geldig. Controleer of u de hele link hebt geopend, of vraag uw hulpverlener om een nieuwe.");

    private static readonly Rejection Expired = Rejection.Forbidden(
        "This link has expired. Ask your professional for a new link.", "Deze link is verlopen. Vraag uw hulpverlener om een nieuwe link.");
}

public static class PersonalLinkSignIn
{
    /// <summary>The claims that tie a member's cookie to the plan and the link it came from.</summary>
    public const string PlanClaim = "plan";
    public const string LinkClaim = "personal-link";
    public const string MemberPage = "/member";

    public static void Map(WebApplication app) => app.MapGet("/l/{token}", async (string token, HttpContext http, LinkTokens tokens, IMessageBus bus, CancellationToken ct) =>
        {
            // The token is a key: no Referer carries it to another site, and no cache keeps the answer.
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            http.Response.Headers.CacheControl = "no-store";
            var language = http.Caller().Language;
            if (tokens.Read(token) is not { } link) return Page(StatusCodes.Status401Unauthorized, UsePersonalLink.NotValid.Detail, language);

            var member = new Caller($"member-{link.MemberId}", new HashSet<string> { Caller.MemberPrefix + link.MemberId }, link.MemberId, language)
            {
                Organisation = link.Organisation,
            };
            var decision = await bus.InvokeAsync<Decision<LinkClaims>>(new UsePersonalLink(link, member), ct);
            if (decision.Rejection is { } refused) return Page(StatusCodes.Status403Forbidden, refused.Detail, language);

            var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, member.UserId),
                new Claim(ClaimTypes.Role, Caller.MemberPrefix + link.MemberId),
                new Claim(Caller.OrganisationClaim, link.Organisation),
                new Claim(PlanClaim, link.PlanId.ToString()),
                new Claim(LinkClaim, link.LinkId.ToString()),
            ], AuthSchemes.Cookie);
            // Not persistent: the cookie ends with the browser session; the link itself can sign in again until it expires.
            await http.SignInAsync(AuthSchemes.Cookie, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
            return Results.Redirect(MemberPage);
        })
        .AllowAnonymous()
        .ExcludeFromDescription();

    /// <summary>A member signed in by link stays signed in only while the link still counts: revoked, expired or removed ends it at once.</summary>
    public static async Task ValidateMember(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal?.FindFirstValue(LinkClaim) is not { } linkText) return;
        var caller = Caller.From(principal, "en");
        var stillValid = false;
        if (Guid.TryParse(linkText, out var linkId) && Guid.TryParse(principal.FindFirstValue(PlanClaim), out var planId) && caller.MemberId is { } memberId)
        {
            var services = context.HttpContext.RequestServices;
            await using var session = services.GetRequiredService<IDocumentStore>().QuerySession(Organisations.Tenants.Of(caller));
            var plan = await session.LoadAsync<Plan>(planId, context.HttpContext.RequestAborted);
            stillValid = UsePersonalLink.Refusal(plan, linkId, memberId, services.GetRequiredService<TimeProvider>().GetUtcNow()) is null;
        }
        if (stillValid) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
    }

    private static IResult Page(int status, Text message, string language)
    {
        var (first, second) = language == "nl" ? (message.Nl, message.En) : (message.En, message.Nl);
        var html = $"""
            <!doctype html>
            <html lang="{(language == "nl" ? "nl" : "en")}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>SafetyPlan</title>
            <script src="/assets/forget-link.js"></script></head>
            <body>
            <main>
            <h1>{(language == "nl" ? "Aanmelden lukt niet" : "You could not be signed in")}</h1>
            <p>{WebUtility.HtmlEncode(first)}</p>
            <p lang="{(language == "nl" ? "en" : "nl")}">{WebUtility.HtmlEncode(second)}</p>
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
