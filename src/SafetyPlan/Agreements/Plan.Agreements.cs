using SafetyPlan.Agreements;

namespace SafetyPlan.Plans;

// The agreements of a plan and what became of each occurrence (the reports themselves are applied in Reports/).
public sealed partial class Plan
{
    public List<Agreement> Agreements { get; set; } = [];

    public Agreement? FindAgreement(Guid id) => Agreements.FirstOrDefault(a => a.Id == id);

    private void When(AgreementMade e) => Agreements.Add(new Agreement
    {
        Id = e.AgreementId, Text = e.Text, ResponsibleMemberId = e.ResponsibleMemberId, GoalId = e.GoalId,
        Schedule = e.Schedule, Grace = e.Grace, MadeAt = e.At, Reporters = e.Reporters?.ToList() ?? [],
        ReportFrom = e.ReportFrom ?? ReportWindow.DefaultReportFrom, RemindBefore = e.RemindBefore ?? ReportWindow.DefaultRemindBefore,
        Watchers = e.Watchers?.ToList() ?? [],
    });

    private void When(AgreementWithdrawn e)
    {
        var agreement = Agreements.First(a => a.Id == e.AgreementId);
        agreement.WithdrawnAt = e.At;
        agreement.WithdrawalReason = e.Reason;
    }

    private void CopyAgreementsTo(Plan copy) => copy.Agreements = Agreements.Select(a => a.Copy()).ToList();
}

/// <summary>Who does what, when (<see cref="AgreementMade"/>), and what became of each of its occurrences.</summary>
public sealed class Agreement
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
    public Guid ResponsibleMemberId { get; set; }
    public Guid? GoalId { get; set; }
    public Schedule Schedule { get; set; } = new();
    public TimeSpan Grace { get; set; }
    /// <summary>How long before an occurrence its report window opens (the window closes when the grace period ends).</summary>
    public TimeSpan ReportFrom { get; set; } = ReportWindow.DefaultReportFrom;
    /// <summary>How long before an occurrence the responsible member is reminded.</summary>
    public TimeSpan RemindBefore { get; set; } = ReportWindow.DefaultRemindBefore;
    /// <summary>Members besides the responsible one who may report on this agreement.</summary>
    public List<Guid> Reporters { get; set; } = [];
    /// <summary>Members told when an occurrence is missed or not kept.</summary>
    public List<Guid> Watchers { get; set; } = [];
    public DateTimeOffset MadeAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawalReason { get; set; }
    /// <summary>What became of each occurrence reported on or missed, in order of occurrence; stored as one log string (<see cref="OccurrenceLogJson"/>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(OccurrenceLogJson))]
    public List<OccurrenceRecord> Occurrences { get; set; } = [];
    /// <summary>Reports made after their occurrence's window closed, in the order they came.</summary>
    public List<LateReport> LateReports { get; set; } = [];

    /// <summary>Whether this member may report on the agreement: its responsible member or one it names as a reporter.</summary>
    public bool MayBeReportedOnBy(Guid memberId) => memberId == ResponsibleMemberId || Reporters.Contains(memberId);

    /// <summary>Every occurrence up to here has a check-in or was missed; the next one is the agreement's open deadline.</summary>
    public DateTimeOffset? SettledUntil { get; set; }

    public bool IsWithdrawn => WithdrawnAt is not null;

    internal Agreement Copy()
    {
        var copy = (Agreement)MemberwiseClone();
        copy.Reporters = [.. Reporters];
        copy.Watchers = [.. Watchers];
        copy.Occurrences = Occurrences.Select(o => o.Copy()).ToList();
        copy.LateReports = [.. LateReports];
        return copy;
    }

    internal void Settle(Plan plan)
    {
        // Kept in order of occurrence. A report is nearly always for the latest occurrence, so the list is usually in
        // order already: checking costs one pass, sorting on every report cost n log n (README, Performance).
        if (!OccurrencesInOrder()) Occurrences.Sort((a, b) => a.Occurrence.CompareTo(b.Occurrence));
        var zone = plan.Zone();
        var from = SettledUntil ?? StartsAfter(plan);
        while (Schedule.Next(from, zone) is { } next && FindInOrder(next) is { } o && (o.Outcome is not null || o.Missed))
            from = next;
        SettledUntil = from;
    }

    /// <summary>
    /// Whether the occurrence is settled: reported on or missed. Settling only moves forward (an outcome is never cleared,
    /// a missed one only gains a late report), so whatever a rule decided for a settled occurrence stays decided.
    /// </summary>
    public bool IsSettled(DateTimeOffset occurrence) => FindOccurrence(occurrence) is { Outcome: not null } or { Missed: true };

    /// <summary>The record of one occurrence, if it has one (there is at most one per occurrence).</summary>
    public OccurrenceRecord? FindOccurrence(DateTimeOffset occurrence)
    {
        // From the latest: reports are for recent occurrences.
        for (var i = Occurrences.Count - 1; i >= 0; i--)
            if (Occurrences[i].Occurrence == occurrence) return Occurrences[i];
        return null;
    }

    private OccurrenceRecord? FindInOrder(DateTimeOffset occurrence)
    {
        var (low, high, ticks) = (0, Occurrences.Count - 1, occurrence.UtcTicks);
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var at = Occurrences[middle].Occurrence.UtcTicks;
            if (at == ticks) return Occurrences[middle];
            if (at < ticks) low = middle + 1; else high = middle - 1;
        }
        return null;
    }

    private bool OccurrencesInOrder()
    {
        for (var i = 1; i < Occurrences.Count; i++)
            if (Occurrences[i - 1].Occurrence.UtcTicks > Occurrences[i].Occurrence.UtcTicks) return false;
        return true;
    }

    /// <summary>Occurrences count from the later of the agreement and the plan's activation, until withdrawal.</summary>
    public DateTimeOffset StartsAfter(Plan plan) => plan.AgreedAt is { } agreed && agreed > MadeAt ? agreed : MadeAt;
}

/// <summary>One occurrence of an agreement that was reported on or missed; stored in its agreement's log (<see cref="OccurrenceLogJson"/>), or read as one short string from earlier documents (<see cref="OccurrenceRecordJson"/>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(OccurrenceRecordJson))]
public sealed class OccurrenceRecord
{
    public DateTimeOffset Occurrence { get; set; }
    public CheckInOutcome? Outcome { get; set; }
    public bool Missed { get; set; }

    internal OccurrenceRecord Copy() => (OccurrenceRecord)MemberwiseClone();
}

/// <summary>A report made after its occurrence's window closed (<see cref="CheckInLogged.Late"/>).</summary>
public sealed record LateReport(DateTimeOffset Occurrence, Guid MemberId, CheckInOutcome Outcome, bool Correction, DateTimeOffset At);
