using Microsoft.AspNetCore.Authentication.Cookies;

namespace SafetyPlan.Auth;

/// <summary>
/// How a request is signed in. The API is called with headers (development) or a bearer token; pages carry a cookie.
/// One selector picks the scheme per request, so that an API call without credentials answers 401 (never a redirect)
/// and a page without a cookie goes to the sign-in page.
/// </summary>
public static class AuthSchemes
{
    public const string Default = "SafetyPlan";
    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string Bearer = "Bearer";
    public const string CookieName = "SafetyPlan.SignIn";
    public const string SignInPath = "/sign-in";
    public const string AccessDeniedPath = "/access-denied";

    public static string Select(HttpContext http)
    {
        var request = http.Request;
        // The headers sign in only in development mode (where the header scheme is registered); otherwise they are ignored.
        var development = Registered(http, DevelopmentAuthentication.Scheme);
        if (development && request.Headers.ContainsKey("X-User")) return DevelopmentAuthentication.Scheme;
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Registered(http, Bearer))
            return Bearer;
        if (request.Cookies.ContainsKey(CookieName)) return Cookie;
        // Nothing presented: the API answers 401 through the header or bearer scheme; pages redirect to sign in.
        return IsApi(request) ? (development ? DevelopmentAuthentication.Scheme : Bearer) : Cookie;
    }

    private static bool Registered(HttpContext http, string scheme) =>
        http.RequestServices.GetService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>() is { } schemes
        && schemes.GetSchemeAsync(scheme).GetAwaiter().GetResult() is not null;

    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hangfire") || request.Path.StartsWithSegments("/health");
}
