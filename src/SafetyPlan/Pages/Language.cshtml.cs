namespace SafetyPlan.Pages;

/// <summary>Switches the pages' language and remembers the choice.</summary>
public sealed class LanguageModel : AppPage
{
    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost(string? language, string? returnUrl)
    {
        PageLanguage.Remember(HttpContext, language ?? PageLanguage.Default);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
