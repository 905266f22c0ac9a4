using Microsoft.AspNetCore.Authentication;

namespace SafetyPlan.Pages;

public sealed class SignOutModel : AppPage
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(AuthSchemes.Cookie);
        return LocalRedirect(AuthSchemes.SignInPath);
    }
}
