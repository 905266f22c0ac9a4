namespace SafetyPlan.Pages.Plans;

/// <summary>The start of a network conference's record: draft the plan (the same command as POST /api/plans).</summary>
[Authorize(Policy = Policies.Professional)]
public sealed class NewModel(IMessageBus bus) : AppPage
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(string? title, string? family, string? backupId, CancellationToken ct)
    {
        var request = new DraftPlanRequest(title, family, Caller.UserId, string.IsNullOrWhiteSpace(backupId) ? null : backupId.Trim(), null);
        var decision = await request.ToCommand(Caller).Then(command => bus.InvokeAsync<Decision<CreatedId>>(command, ct));
        return decision.Rejection is { } rejection ? Refused(rejection) : LocalRedirect($"/plans/{decision.Result!.Id}/conference");
    }
}
