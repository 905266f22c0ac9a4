namespace SafetyPlan.Conference;

/// <summary>
/// The optional <c>referral</c> of <c>POST /api/plans</c> (../shared/api-contract.md, "The practice around the plan"):
/// <c>{ "by": "Veilig Thuis", "receivedOn": "2027-01-02", "conferenceWithin": "P42D" }</c>.
/// </summary>
/// <param name="By">who referred: an organisation (Veilig Thuis, a gecertificeerde instelling) or a person; 1..200 characters</param>
/// <param name="ReceivedOn">the day the referral came in, in the plan's zone: not after today, at most 366 days ago</param>
/// <param name="ConferenceWithin">the period from <paramref name="ReceivedOn"/> within which the first conference session is due: whole days or weeks, P7D..P91D (absent: P42D)</param>
public sealed record ReferralRequest(
    [property: MaxLength(Bounds.NameLength)] string? By, DateOnly? ReceivedOn, [property: MaxLength(Bounds.IdLength)] string? ConferenceWithin)
{
    /// <summary>The referral as the draft command carries it, or null with the errors added (field names <c>referral.by</c>, ...).</summary>
    public Referral? Read(FieldErrors errors)
    {
        errors.Required("referral.by", By, Bounds.NameLength);
        if (ReceivedOn is null)
            errors.Add("referral.receivedOn", "'receivedOn' is required (a date such as 2027-01-02).", "'receivedOn' is verplicht (een datum zoals 2027-01-02).");
        var days = Bounds.ConferenceWithinOf(errors, ConferenceWithin);
        return By is not null && ReceivedOn is { } received && days is { } within ? new Referral(By.Trim(), received, within) : null;
    }
}

/// <summary>A referral read from its request: who referred, the day it came in, and the days to the first conference session.</summary>
public sealed record Referral(string By, DateOnly ReceivedOn, int ConferenceWithinDays)
{
    /// <summary>
    /// The <see cref="ReferralRecorded"/> of a plan drafted at <paramref name="now"/> in <paramref name="zone"/>, or a
    /// 400 naming <c>referral.receivedOn</c> when that day is after today there or more than 366 days ago (Web/Bounds.cs).
    /// </summary>
    public Decision<ReferralRecorded> Decide(TimeZoneInfo zone, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        Bounds.PastDay(errors, ReceivedOn, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime), "referral.receivedOn");
        if (errors.ToRejection() is { } invalid) return invalid;
        var recorded = new ReferralRecorded(By, ReceivedOn, ConferenceWithinDays, ReceivedOn.AddDays(ConferenceWithinDays), now);
        return Decision.Accept(recorded, recorded);
    }
}
