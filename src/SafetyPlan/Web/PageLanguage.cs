namespace SafetyPlan.Web;

/// <summary>The language of the pages: Dutch unless the person chose English, remembered in a cookie.</summary>
public static class PageLanguage
{
    public const string CookieName = "SafetyPlan.Language";
    public const string Default = "nl";

    public static string Of(HttpContext http) =>
        http.Request.Cookies.TryGetValue(CookieName, out var chosen) && chosen is "en" or "nl" ? chosen : Default;

    public static void Remember(HttpContext http, string language) =>
        http.Response.Cookies.Append(CookieName, language is "en" ? "en" : "nl", new CookieOptions
        {
            Expires = TimeProvider.System.GetUtcNow().AddYears(1), // a cookie's lifetime is the browser's wall clock, not the domain's
            HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true,
        });

    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "nl-NL");

    /// <summary>The caller of a page request, with messages in the page's language.</summary>
    public static Caller PageCaller(this HttpContext http) => http.Caller() with { Language = Of(http) };
}
