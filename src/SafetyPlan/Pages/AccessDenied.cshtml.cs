namespace SafetyPlan.Pages;

public sealed class AccessDeniedModel : AppPage
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
