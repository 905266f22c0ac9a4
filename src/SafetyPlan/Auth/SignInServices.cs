using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using SafetyPlan.PersonalLinks;

namespace SafetyPlan.Auth;

/// <summary>What every sign-in mode shares: keys kept in PostgreSQL (so cookies and links work on every node), personal links, and the cookie's answers.</summary>
public static class SignInServices
{
    public static IServiceCollection AddSafetyPlanSignIn(this IServiceCollection services)
    {
        services.AddSingleton<AuthKeys>();
        services.AddSingleton<LinkTokens>();
        services.AddDataProtection().SetApplicationName("SafetyPlan");
        services.AddOptions<KeyManagementOptions>().Configure<AuthKeys>((options, keys) => options.XmlRepository = keys);
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Cookie).Configure<IConfiguration>((options, configuration) =>
        {
            var absoluteLifetime = PageSession.AbsoluteLifetime(configuration);
            options.Events.OnSigningIn = PageSession.SigningIn;
            options.Events.OnValidatePrincipal = async context =>
            {
                await PageSession.Validate(context, absoluteLifetime);
                if (context.Principal is not null) await PersonalLinkSignIn.ValidateMember(context);
            };
            // An API call with a cookie that no longer counts answers 401/403 like any other API call, never a redirect to a page.
            options.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
        });
        return services;
    }

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (AuthSchemes.IsApi(context.Request)) context.Response.StatusCode = status;
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
