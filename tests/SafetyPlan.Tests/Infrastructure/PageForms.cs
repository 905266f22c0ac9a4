using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// The pages' forms over the in-process test host, as a browser sends them: a client that keeps cookies, the antiforgery
/// token a page's form carries, and the sign-in form of the development sign-in (docs/security.md, "Sign-in").
/// </summary>
public static partial class PageForms
{
    /// <summary>A client that keeps its cookies and does not follow redirects (a saved form answers with one).</summary>
    public static HttpClient Browser(this ServerFixture server) =>
        server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The antiforgery token in the form of the page at <paramref name="path"/> (a GET); fails the test when the page has none.</summary>
    public static async Task<string> Token(HttpClient browser, string path)
    {
        var html = await (await browser.GetAsync(path)).Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        token.ShouldNotBeNullOrEmpty();
        return token;
    }

    /// <summary>
    /// Signs <paramref name="browser"/> in through <c>/sign-in</c> as <paramref name="user"/> with <paramref name="roles"/>
    /// (comma-separated: <c>professional</c>, <c>member:&lt;id&gt;</c>) in <paramref name="organisation"/> (empty: the
    /// default one), and asserts the redirect a sign-in answers with.
    /// </summary>
    public static async Task SignIn(HttpClient browser, string user, string roles, string organisation = "")
    {
        var token = await Token(browser, "/sign-in");
        var response = await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserId"] = user, ["Roles"] = roles, ["Organisation"] = organisation,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
