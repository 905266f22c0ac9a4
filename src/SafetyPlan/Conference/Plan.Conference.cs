namespace SafetyPlan.Plans;

// The practice around the plan: its referral, the conference deadline, and the conference's sessions.
public sealed partial class Plan
{
    /// <summary>The plan's referral (<see cref="ReferralRecorded"/>); null for plans drafted without one.</summary>
    public ReferralRecorded? Referral { get; set; }
    /// <summary>The conference's sessions in the order they were recorded (<see cref="ConferenceSessionHeld"/>), kept as their events.</summary>
    public List<ConferenceSessionHeld> ConferenceSessions { get; set; } = [];
    /// <summary>The conference due date whose being overdue was already told (<see cref="ConferenceOverdue"/>), so it is told once.</summary>
    public DateOnly? ConferenceOverdueNotified { get; set; }

    /// <summary>
    /// The last day the first conference session is due on while none was held (the referral's
    /// <see cref="ReferralRecorded.ConferenceDue"/>); null without a referral, once a session was held, or once the plan closed.
    /// </summary>
    public DateOnly? ConferenceDue => Referral is { } referral && ConferenceSessions.Count == 0 && State != PlanState.Closed
        ? referral.ConferenceDue : null;

    private void When(ReferralRecorded e) => Referral = e;

    private void When(ConferenceSessionHeld e) => ConferenceSessions.Add(e);

    private void When(ConferenceOverdue e) => ConferenceOverdueNotified = e.ConferenceDue;

    private void CopyConferenceTo(Plan copy) => copy.ConferenceSessions = [.. ConferenceSessions];
}
