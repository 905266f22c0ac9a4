namespace SafetyPlan.Pages.Plans;

/// <summary>
/// The start of a network conference's record: draft the plan (the same request and command as POST /api/plans), with
/// its optional referral: who referred, the day it came in, and the first session's term in whole weeks (empty: 6).
/// </summary>
[Authorize(Policy = Policies.Professional)]
public sealed class NewModel(IMessageBus bus) : AppPage
{
    public void OnGet() { }

    /// <summary>What was entered, shown again with a refusal so that nothing has to be typed twice.</summary>
    public (string? Title, string? Family, string? BackupId, string? ReferralBy, DateOnly? ReferralReceivedOn, int? ConferenceWithinWeeks) Entered { get; private set; }

    /// <param name="referralBy">who referred; the referral is sent when this or <paramref name="referralReceivedOn"/> is filled in</param>
    /// <param name="conferenceWithinWeeks">weeks from the referral to the first session (the API's <c>P{n}W</c>)</param>
    public async Task<IActionResult> OnPostAsync(string? title, string? family, string? backupId, string? referralBy, DateOnly? referralReceivedOn,
        int? conferenceWithinWeeks, CancellationToken ct)
    {
        Entered = (title, family, backupId, referralBy, referralReceivedOn, conferenceWithinWeeks);
        var referral = string.IsNullOrWhiteSpace(referralBy) && referralReceivedOn is null ? null
            : new Conference.ReferralRequest(string.IsNullOrWhiteSpace(referralBy) ? null : referralBy, referralReceivedOn,
                conferenceWithinWeeks is { } weeks ? $"P{weeks.ToString(CultureInfo.InvariantCulture)}W" : null);
        var request = new DraftPlanRequest(title, family, Caller.UserId, string.IsNullOrWhiteSpace(backupId) ? null : backupId.Trim(), null,
            Referral: referral);
        var decision = await request.ToCommand(Caller).Then(command => bus.InvokeAsync<Decision<CreatedId>>(command, ct));
        return decision.Rejection is { } rejection ? Refused(rejection) : LocalRedirect($"/plans/{decision.Result!.Id}/conference");
    }
}
