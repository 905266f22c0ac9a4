namespace SafetyPlan.Web;

/// <summary>
/// The people's pages (Razor Pages, server-rendered, in Pages/): members, monitoring professionals, auditors. They call
/// the same handlers and queries as the API; forms carry antiforgery tokens (the API does not).
/// </summary>
public static class Pages
{
    public static IServiceCollection AddSafetyPlanPages(this IServiceCollection services)
    {
        services.AddRazorPages(options => options.Conventions.AddPageRoute("/Dashboard", ""));
        return services;
    }

    public static WebApplication MapSafetyPlanPages(this WebApplication app)
    {
        PageAssets.Map(app);
        PageAssets.MapApp(app);
        app.MapRazorPages();
        return app;
    }
}
