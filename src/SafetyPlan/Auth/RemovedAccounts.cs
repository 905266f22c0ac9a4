using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using SafetyPlan.People;

namespace SafetyPlan.Auth;

/// <summary>
/// A removed account is refused on every request, whatever the credential: a bearer token (which the provider issued
/// before, and stays valid until it expires), development headers or the pages' cookie. After authentication, a signed-in
/// person who is not a network member (members follow their link, <see cref="PersonalLinks.PersonalLinkSignIn"/>) and whose
/// user id has a <see cref="RemovedAccount"/> in their organisation gets 401 on the API (a page: signed out, to the sign-in
/// page). A person who never had an account is not refused (the provider decides who signs in; an account holds the
/// e-mail address and team). The answer is remembered per organisation and user for <see cref="Remember"/> (30 s) of
/// the injected clock's monotonic timestamp, so a busy person costs one lookup per 30 s; the removal and re-creation
/// endpoints update this node's memory at once (<see cref="Noted"/>), other nodes within 30 s (docs/security.md).
/// </summary>
public sealed class RemovedAccounts(IDocumentStore store, TimeProvider time)
{
    public static readonly TimeSpan Remember = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Tenant, string UserId), (bool Removed, long At)> _known = new();

    /// <summary>Whether the caller's account was removed in their organisation (and not created again).</summary>
    public async ValueTask<bool> IsRemoved(Caller caller, CancellationToken ct)
    {
        var key = (Organisations.Tenants.Of(caller), caller.UserId);
        if (_known.TryGetValue(key, out var known) && time.GetElapsedTime(known.At) < Remember) return known.Removed;
        await using var session = store.QuerySession(key.Item1);
        var removed = await session.LoadAsync<RemovedAccount>(caller.UserId, ct) is not null;
        // A removal noted on this node while this lookup ran wins over what the lookup read before it.
        var read = (removed, time.GetTimestamp());
        return _known.AddOrUpdate(key, read, (_, current) => time.GetElapsedTime(current.At) < Remember && current.At > known.At ? current : read).Removed;
    }

    /// <summary>After the removal (or re-creation) of an account is committed: this node refuses (or admits) the person from now on.</summary>
    public void Noted(string tenant, string userId, bool removed)
    {
        if (_known.Count > 100_000) _known.Clear(); // a bound on memory; only costs lookups
        _known[(tenant, userId)] = (removed, time.GetTimestamp());
    }

    /// <summary>The per-request check (after authentication and the access log, so the refusal is logged).</summary>
    public async Task Gate(HttpContext http, Func<Task> next)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var caller = http.Caller();
            if (!caller.IsMember && !caller.IsSystem && caller.UserId.Length > 0 && await IsRemoved(caller, http.RequestAborted))
            {
                if (http.Request.Cookies.ContainsKey(AuthSchemes.CookieName)) await http.SignOutAsync(AuthSchemes.Cookie);
                if (AuthSchemes.IsApi(http.Request))
                    await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Account removed",
                        detail: "This account was removed by an admin of the organisation. Dit account is verwijderd door een beheerder van de organisatie.").ExecuteAsync(http);
                else http.Response.Redirect(AuthSchemes.SignInPath);
                return;
            }
        }
        await next();
    }
}

public static class RemovedAccountsMiddleware
{
    /// <summary>Refuses every request of a removed account (<see cref="RemovedAccounts"/>); after UseAuthentication.</summary>
    public static WebApplication UseRemovedAccountsRefused(this WebApplication app)
    {
        var gate = app.Services.GetRequiredService<RemovedAccounts>();
        app.Use((http, next) => gate.Gate(http, next));
        return app;
    }
}
