namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Privacy (Privacy/): appended once per plan, by the retention pass.

/// <summary>
/// The retention period after closing passed: personal data in events 1..<paramref name="MaskedUpToVersion"/> and in
/// the plan's documents was masked. The original hash chain was verified intact just before; its head and the head of
/// the chain over the masked content (header <c>hash.masked</c>) are kept here, so verification still works.
/// </summary>
/// <param name="Policy">the retention rule that applied, e.g. <c>Privacy:RetainAfterClose=P20Y</c></param>
public sealed record PersonalDataMasked(
    string Policy, DateTimeOffset ClosedAt, long MaskedUpToVersion, string OriginalChainHead, string MaskedChainHead,
    DateTimeOffset At) : IPlanEvent;
