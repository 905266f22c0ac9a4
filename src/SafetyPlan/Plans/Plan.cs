using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Scheduling;

namespace SafetyPlan.Plans;

/// <summary>
/// A safety plan as its events make it: the write model every decision reads, and (as Marten's inline snapshot) the
/// document the status and list views are computed from. It holds facts only; anything that depends on the moment
/// asked (status colour, due occurrences) is computed by <see cref="PlanStatusView"/>.
/// </summary>
public sealed class Plan
{
    public Guid Id { get; set; }
    /// <summary>
    /// The organisation (Marten tenant) the plan belongs to: the document's <c>tenant_id</c> column, which Marten fills in
    /// when it reads the plan and which queries such as the sweep's select across organisations read. Never stored in the
    /// document's JSON: a plan built from its events (a new stream, a rebuild) has none, a plan read back has it, and the
    /// document must not depend on which of them was stored last.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? TenantId { get; set; }
    public int Version { get; set; }
    /// <summary>
    /// The chain's head (Audit/HashChain): the <c>hash</c> of the event at <see cref="ChainHeadVersion"/>, kept here so that
    /// an append links to it without reading the stream. Null on documents stored before it was kept (see PlanProjection).
    /// </summary>
    public string? ChainHead { get; set; }
    public long? ChainHeadVersion { get; set; }
    public string Title { get; set; } = "";
    public string Family { get; set; } = "";
    public string MonitorId { get; set; } = "";
    public string? BackupId { get; set; }
    /// <summary>The team whose professionals may act on the plan besides its monitor and backup.</summary>
    public string? TeamId { get; set; }
    public string TimeZone { get; set; } = "Europe/Amsterdam";
    public PlanState State { get; set; }
    public int Revision { get; set; } = 1;
    public DateTimeOffset DraftedAt { get; set; }
    public DateTimeOffset? AgreedAt { get; set; }
    public DateOnly? EvaluationDue { get; set; }
    public DateTimeOffset? EvaluationDueSetAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>When the retention pass masked this plan's personal data (see Privacy/).</summary>
    public DateTimeOffset? PersonalDataMaskedAt { get; set; }
    public List<int> EvaluationReminderDays { get; set; } = [7, 1];
    public List<string> RemindersSent { get; set; } = [];
    public List<DateOnly> OverdueNotified { get; set; } = [];

    /// <summary>
    /// The earliest moment at which the sweep has work for this plan (indexed: the sweep reads only plans that are due).
    /// Computed when asked (Marten asks once, when it stores the document), not after every event: that made replaying
    /// a long history quadratic (README, Performance).
    /// </summary>
    public DateTimeOffset? NextDeadlineAt => Deadlines.Upcoming(this).Select(d => (DateTimeOffset?)d.DueAt).Min();
    public DateTimeOffset? LastCheckInAt { get; set; }
    public List<Member> Members { get; set; } = [];
    public List<Goal> Goals { get; set; } = [];
    public List<Agreement> Agreements { get; set; } = [];
    public List<BottomLine> BottomLines { get; set; } = [];
    public List<BreachRecorded> Breaches { get; set; } = [];
    public List<EscalationRecord> Escalations { get; set; } = [];
    public List<Rating> Ratings { get; set; } = [];
    public List<EvaluationRecorded> Evaluations { get; set; } = [];

    /// <summary>Every notification ever queued, by its delivery key.</summary>
    public Dictionary<string, Delivery> Deliveries { get; set; } = new();

    /// <summary>Every personal link issued for a member of this plan (never the token itself).</summary>
    public List<PersonalLink> Links { get; set; } = [];

    public TimeZoneInfo Zone()
    {
        // Looked up once per plan instance: applying a long history asks for the zone on every check-in.
        if (zone is not { } cached || cached.Id != TimeZone) zone = (TimeZone, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        return zone.Value.Zone;
    }

    private (string Id, TimeZoneInfo Zone)? zone;

    public Member? ActiveMember(Guid id) => Members.FirstOrDefault(m => m.Id == id && m.RemovedAt is null);
    public Agreement? FindAgreement(Guid id) => Agreements.FirstOrDefault(a => a.Id == id);
    public BottomLine? FindBottomLine(Guid id) => BottomLines.FirstOrDefault(b => b.Id == id);
    public EscalationRecord? FindEscalation(Guid id) => Escalations.FirstOrDefault(e => e.Id == id);
    public IEnumerable<BottomLine> ActiveBottomLines => BottomLines.Where(b => b.RemovedAt is null);

    /// <summary>Whether an occurrence of an agreement already has its breach (a not-kept report or its missed check-in).</summary>
    public bool HasBreachOn(Guid agreementId, DateTimeOffset occurrence) =>
        Breaches.Any(b => b.AgreementId == agreementId && b.Occurrence == occurrence);

    public void Apply(PlanDrafted e)
    {
        Id = e.PlanId;
        Title = e.Title;
        Family = e.Family;
        MonitorId = e.MonitorId;
        BackupId = e.BackupId;
        TeamId = e.TeamId;
        TimeZone = e.TimeZone;
        State = PlanState.Draft;
        DraftedAt = e.At;
        if (e.EvaluationReminderDays is { } days) EvaluationReminderDays = days.ToList();
    }

    public void Apply(MemberAdded e) => Members.Add(new Member
    {
        Id = e.MemberId, Name = e.Name, Role = e.Role, Email = e.Email, Phone = e.Phone, AddedAt = e.At,
    });

    public void Apply(MemberRemoved e) => Members.First(m => m.Id == e.MemberId).RemovedAt = e.At;

    public void Apply(SafetyGoalSet e) => Goals.Add(new Goal { Id = e.GoalId, Danger = e.Danger, Text = e.Goal });

    public void Apply(AgreementMade e) => Agreements.Add(new Agreement
    {
        Id = e.AgreementId, Text = e.Text, ResponsibleMemberId = e.ResponsibleMemberId, GoalId = e.GoalId,
        Schedule = e.Schedule, Grace = e.Grace, MadeAt = e.At, Reporters = e.Reporters?.ToList() ?? [],
        ReportFrom = e.ReportFrom ?? ReportWindow.DefaultReportFrom, RemindBefore = e.RemindBefore ?? ReportWindow.DefaultRemindBefore,
        Watchers = e.Watchers?.ToList() ?? [],
    });

    public void Apply(AgreementWithdrawn e)
    {
        var agreement = Agreements.First(a => a.Id == e.AgreementId);
        agreement.WithdrawnAt = e.At;
        agreement.WithdrawalReason = e.Reason;
    }

    public void Apply(BottomLineSet e) => BottomLines.Add(new BottomLine
    {
        Id = e.BottomLineId, Text = e.Text, Rule = e.Rule, AcknowledgeWithin = e.AcknowledgeWithin, SetAt = e.At,
    });

    public void Apply(BottomLineRemoved e) => BottomLines.First(b => b.Id == e.BottomLineId).RemovedAt = e.At;

    public void Apply(PlanAgreed e)
    {
        State = PlanState.Active;
        AgreedAt = e.At;
        EvaluationDue = e.EvaluationDue;
        EvaluationDueSetAt = e.At;
    }

    public void Apply(CheckInLogged e)
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
    }

    public void Apply(CheckInMissed e)
    {
        var agreement = Agreements.First(a => a.Id == e.AgreementId);
        var record = agreement.FindOccurrence(e.Occurrence);
        if (record is null) agreement.Occurrences.Add(new OccurrenceRecord { Occurrence = e.Occurrence, Missed = true });
        else if (record.Outcome is null) record.Missed = true;
        agreement.Settle(this);
    }

    public void Apply(EscalationPassedToBackup e) => FindEscalation(e.EscalationId)!.PassedToBackupAt = e.At;

    public void Apply(EvaluationReminderDue e) => RemindersSent.Add(Scheduling.Deadlines.ReminderKey(e.EvaluationDue, e.DaysBefore));

    public void Apply(EvaluationOverdue e) => OverdueNotified.Add(e.EvaluationDue);

    public void Apply(NotificationQueued e) => Deliveries.TryAdd(e.Key, new Delivery
    {
        Key = e.Key, Subject = e.Subject, Reference = e.Reference, RecipientUserId = e.RecipientUserId,
        RecipientMemberId = e.RecipientMemberId, Channel = e.Channel, QueuedAt = e.At, NextAttemptAt = e.At,
    });

    public void Apply(NotificationSent e)
    {
        var delivery = Deliveries[e.Key];
        delivery.Status = DeliveryStatus.Sent;
        delivery.SentAt = e.At;
        delivery.Address = e.Address;
    }

    public void Apply(NotificationFailed e)
    {
        var delivery = Deliveries[e.Key];
        delivery.Attempts = e.Attempt;
        delivery.LastError = e.Error;
        delivery.NextAttemptAt = e.NextAttemptAt;
    }

    public void Apply(NotificationSkipped e)
    {
        var delivery = Deliveries[e.Key];
        delivery.Status = DeliveryStatus.Skipped;
        delivery.LastError = e.Reason;
    }

    public void Apply(NotificationAbandoned e)
    {
        var delivery = Deliveries[e.Key];
        (delivery.Status, delivery.Attempts, delivery.Failure) = (DeliveryStatus.Failed, e.Attempts, e.Failure);
    }

    /// <summary>A concern counts through its breach; its receipt is kept outside the plan (Reports/ReportReceipt.cs).</summary>
    public void Apply(ConcernRaised e) { }

    public void Apply(SafetyRated e) => Ratings.Add(new Rating(e.MemberId, e.Score, e.At));

    public void Apply(BreachRecorded e) => Breaches.Add(e);

    public void Apply(BottomLineCrossed e) => FindBottomLine(e.BottomLineId)!.CrossedAt = e.OccurredAt ?? e.At;

    public void Apply(EscalationRaised e)
    {
        Escalations.Add(new EscalationRecord
        {
            Id = e.EscalationId, BottomLineId = e.BottomLineId, MonitorId = e.MonitorId, BackupId = e.BackupId,
            RaisedAt = e.At, AcknowledgeBy = e.AcknowledgeBy,
        });
        FindBottomLine(e.BottomLineId)!.OpenEscalationId = e.EscalationId;
    }

    public void Apply(EscalationAcknowledged e) => FindEscalation(e.EscalationId)!.AcknowledgedAt = e.At;

    public void Apply(EscalationResolved e)
    {
        var escalation = FindEscalation(e.EscalationId)!;
        escalation.ResolvedAt = e.At;
        var bottomLine = FindBottomLine(escalation.BottomLineId)!;
        if (bottomLine.OpenEscalationId == e.EscalationId)
        {
            bottomLine.OpenEscalationId = null;
            bottomLine.CrossedAt = null;
            bottomLine.LastResolvedAt = e.At;
        }
    }

    public void Apply(EvaluationRecorded e)
    {
        Evaluations.Add(e);
        Revision = e.Revision;
        if (e.Outcome == EvaluationOutcome.Close) (State, ClosedAt) = (PlanState.Closed, e.At);
        EvaluationDue = e.Outcome == EvaluationOutcome.Close ? null : e.NextEvaluationDue;
        EvaluationDueSetAt = e.At;
    }

    public void Apply(PersonalDataMasked e) => Privacy.PersonalDataMasking.Mask(this, e.At);

    public void Apply(PersonalLinkIssued e) => Links.Add(new PersonalLink
    {
        Id = e.LinkId, MemberId = e.MemberId, IssuedBy = e.IssuedBy, IssuedAt = e.At, ExpiresAt = e.ExpiresAt,
    });

    public void Apply(PersonalLinkRevoked e)
    {
        var link = Links.First(l => l.Id == e.LinkId);
        link.RevokedAt = e.At;
        link.RevocationReason = e.Reason;
    }

    public void Apply(PersonalLinkUsed e)
    {
        var link = Links.First(l => l.Id == e.LinkId);
        link.LastUsedAt = e.At;
        link.Uses++;
    }

}

public sealed class Member
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public MemberRole Role { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
}

public sealed class Goal
{
    public Guid Id { get; set; }
    public string Danger { get; set; } = "";
    public string Text { get; set; } = "";
}

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
    public List<OccurrenceRecord> Occurrences { get; set; } = [];
    /// <summary>Reports made after their occurrence's window closed, in the order they came.</summary>
    public List<LateReport> LateReports { get; set; } = [];

    /// <summary>Whether this member may report on the agreement: its responsible member or one it names as a reporter.</summary>
    public bool MayBeReportedOnBy(Guid memberId) => memberId == ResponsibleMemberId || Reporters.Contains(memberId);

    /// <summary>Every occurrence up to here has a check-in or was missed; the next one is the agreement's open deadline.</summary>
    public DateTimeOffset? SettledUntil { get; set; }

    public bool IsWithdrawn => WithdrawnAt is not null;

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

[System.Text.Json.Serialization.JsonConverter(typeof(OccurrenceRecordJson))]
public sealed class OccurrenceRecord
{
    public DateTimeOffset Occurrence { get; set; }
    public CheckInOutcome? Outcome { get; set; }
    public bool Missed { get; set; }
}

public sealed class BottomLine
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
    public BottomLineRule Rule { get; set; } = new(RuleKind.AnyBreach);
    public TimeSpan AcknowledgeWithin { get; set; }
    public DateTimeOffset SetAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    public DateTimeOffset? CrossedAt { get; set; }
    public Guid? OpenEscalationId { get; set; }
    public DateTimeOffset? LastResolvedAt { get; set; }

    public bool IsCrossed => OpenEscalationId is not null;
}

public sealed class EscalationRecord
{
    public Guid Id { get; set; }
    public Guid BottomLineId { get; set; }
    public string MonitorId { get; set; } = "";
    public string? BackupId { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset AcknowledgeBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public DateTimeOffset? PassedToBackupAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    public bool IsOpen => ResolvedAt is null;
}

public sealed class PersonalLink
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public string IssuedBy { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevocationReason { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public int Uses { get; set; }
}

public sealed record Rating(Guid MemberId, int Score, DateTimeOffset At);

/// <summary>A report made after its occurrence's window closed (<see cref="CheckInLogged.Late"/>).</summary>
public sealed record LateReport(DateTimeOffset Occurrence, Guid MemberId, CheckInOutcome Outcome, bool Correction, DateTimeOffset At);

public enum ReportKind { CheckIn, Concern, Rating }

/// <summary>What a report answers, the first time and on every repeat of its clientId (kept in Reports/ReportReceipt).</summary>
/// <param name="Late">for a check-in: made after its occurrence's window (then it leaves a missed occurrence missed)</param>
public sealed record Receipt(ReportKind Kind, Guid Id, Guid? AgreementId, DateTimeOffset? Occurrence, bool? Late = null);

public enum DeliveryStatus { Queued, Sent, Skipped, Failed }

public sealed class Delivery
{
    public string Key { get; set; } = "";
    public NotificationSubject Subject { get; set; }
    public string Reference { get; set; } = "";
    public string? RecipientUserId { get; set; }
    public Guid? RecipientMemberId { get; set; }
    public NotificationChannel Channel { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? Address { get; set; }
    public string? LastError { get; set; }
    /// <summary>Why it ended as failed: a code without personal data (NotificationAbandoned.Failure).</summary>
    public string? Failure { get; set; }
}
