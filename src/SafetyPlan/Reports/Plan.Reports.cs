namespace SafetyPlan.Plans;

// Reports from the network (check-ins, concerns, ratings) and the check-ins time passing found missing.
public sealed partial class Plan
{
    public DateTimeOffset? LastCheckInAt { get; set; }
    public List<Rating> Ratings { get; set; } = [];

    private void When(CheckInLogged e)
    {
        LastCheckInAt = e.At;
        var agreement = Agreements.First(a => a.Id == e.AgreementId);
        var record = agreement.FindOccurrence(e.Occurrence);
        if (e.Late)
        {
            agreement.LateReports.Add(new LateReport(e.Occurrence, e.MemberId, e.Outcome, e.Correction, e.At));
            if (e.Correction && record is { Missed: false, Outcome: not null }) record.Outcome = e.Outcome;
            return;
        }
        if (record is null) agreement.Occurrences.Add(record = new OccurrenceRecord { Occurrence = e.Occurrence });
        // A later check-in on the same occurrence within its window is a correction: it replaces the outcome, the first
        // stays in history.
        record.Outcome = e.Outcome;
        record.Missed = false;
        agreement.Settle(this);
        SettleReminders(agreement, e.Occurrence);
    }

    private void When(CheckInMissed e)
    {
        var agreement = Agreements.First(a => a.Id == e.AgreementId);
        var record = agreement.FindOccurrence(e.Occurrence);
        if (record is null) agreement.Occurrences.Add(new OccurrenceRecord { Occurrence = e.Occurrence, Missed = true });
        else if (record.Outcome is null) record.Missed = true;
        agreement.Settle(this);
        SettleReminders(agreement, e.Occurrence);
    }

    /// <summary>A concern counts through its breach; its receipt is kept outside the plan (Reports/ReportReceipt.cs).</summary>
    private void When(ConcernRaised e) { }

    private void When(SafetyRated e) => Ratings.Add(new Rating(e.MemberId, e.Score, e.At));

    private void CopyReportsTo(Plan copy) => copy.Ratings = [.. Ratings];
}

/// <summary>A safety rating (<see cref="SafetyRated"/>): a score of 0-10 by a member.</summary>
public sealed record Rating(Guid MemberId, int Score, DateTimeOffset At);

public enum ReportKind { CheckIn, Concern, Rating }

/// <summary>What a report answers, the first time and on every repeat of its clientId (kept in Reports/ReportReceipt).</summary>
/// <param name="Late">for a check-in: made after its occurrence's window (then it leaves a missed occurrence missed)</param>
public sealed record Receipt(ReportKind Kind, Guid Id, Guid? AgreementId, DateTimeOffset? Occurrence, bool? Late = null);
