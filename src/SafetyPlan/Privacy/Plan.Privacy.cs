namespace SafetyPlan.Plans;

// The retention pass's masking of the plan's personal data (Privacy/PersonalDataMasking.cs).
public sealed partial class Plan
{
    /// <summary>When the retention pass masked this plan's personal data (see Privacy/).</summary>
    public DateTimeOffset? PersonalDataMaskedAt { get; set; }

    private void When(PersonalDataMasked e) => Privacy.PersonalDataMasking.Mask(this, e.At);
}
