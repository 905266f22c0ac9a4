namespace SafetyPlan.Plans;

// The escalations a plan's crossed bottom lines raised, and how far each got.
public sealed partial class Plan
{
    public List<EscalationRecord> Escalations { get; set; } = [];

    public EscalationRecord? FindEscalation(Guid id) => Escalations.FirstOrDefault(e => e.Id == id);

    private void When(EscalationRaised e)
    {
        Escalations.Add(new EscalationRecord
        {
            Id = e.EscalationId, BottomLineId = e.BottomLineId, MonitorId = e.MonitorId, BackupId = e.BackupId,
            RaisedAt = e.At, AcknowledgeBy = e.AcknowledgeBy, AcknowledgeWithin = FindBottomLine(e.BottomLineId)!.AcknowledgeWithin,
        });
        FindBottomLine(e.BottomLineId)!.OpenEscalationId = e.EscalationId;
    }

    private void When(EscalationAcknowledged e) => FindEscalation(e.EscalationId)!.AcknowledgedAt = e.At;

    private void When(EscalationResolved e)
    {
        var escalation = FindEscalation(e.EscalationId)!;
        escalation.ResolvedAt = e.At;
        DutyIds = OpenDutyIds();
        var bottomLine = FindBottomLine(escalation.BottomLineId)!;
        if (bottomLine.OpenEscalationId == e.EscalationId)
        {
            bottomLine.OpenEscalationId = null;
            bottomLine.CrossedAt = null;
            bottomLine.LastResolvedAt = e.At;
        }
    }

    private void When(EscalationPassedToBackup e) => FindEscalation(e.EscalationId)!.PassedToBackupAt = e.At;

    private void When(EscalationPassedToDuty e)
    {
        var escalation = FindEscalation(e.EscalationId)!;
        escalation.PassedToDutyAt = e.At;
        escalation.DutyId = e.DutyId;
        DutyIds = OpenDutyIds();
    }

    /// <summary>
    /// The duty professionals an escalation still open (not resolved) was passed to: while it is open they may read the
    /// plan and respond to that escalation, and nothing else (Auth/PlanAccess.cs); its resolution ends both.
    /// </summary>
    public List<string> DutyIds { get; set; } = [];

    private List<string> OpenDutyIds() =>
        Escalations.Where(e => e.IsOpen && e.DutyId is not null).Select(e => e.DutyId!).Distinct().ToList();

    private void CopyEscalationsTo(Plan copy)
    {
        copy.Escalations = Escalations.Select(e => e.Copy()).ToList();
        copy.DutyIds = [.. DutyIds];
    }
}

/// <summary>An escalation a crossing raised (<see cref="EscalationRaised"/>) and how far it got.</summary>
public sealed class EscalationRecord
{
    public Guid Id { get; set; }
    public Guid BottomLineId { get; set; }
    /// <summary>Who holds it now: the monitor it was raised to, or the new monitor of a handover while it was open (Handover/).</summary>
    public string MonitorId { get; set; } = "";
    public string? BackupId { get; set; }
    /// <summary>The monitor it was raised to, once a handover moved it to another (null: <see cref="MonitorId"/> still is).</summary>
    public string? RaisedToMonitorId { get; set; }
    /// <summary>The monitor it was raised to, whose response time it counts for.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string RaisedTo => RaisedToMonitorId ?? MonitorId;
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset AcknowledgeBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public DateTimeOffset? PassedToBackupAt { get; set; }
    /// <summary>The crossed bottom line's acknowledge time when it was raised: the time each step of the ladder waits (zero in documents from before the ladder: then <see cref="AcknowledgeBy"/> − <see cref="RaisedAt"/>).</summary>
    public TimeSpan AcknowledgeWithin { get; set; }
    public DateTimeOffset? PassedToDutyAt { get; set; }
    public string? DutyId { get; set; }

    /// <summary>When the backup's time is up and the escalation passes to the duty professional: <see cref="AcknowledgeBy"/> plus one more acknowledge time.</summary>
    public DateTimeOffset DutyDueAt => AcknowledgeBy.Plus(AcknowledgeWithin > TimeSpan.Zero ? AcknowledgeWithin : AcknowledgeBy - RaisedAt);
    public DateTimeOffset? ResolvedAt { get; set; }

    public bool IsOpen => ResolvedAt is null;

    internal EscalationRecord Copy() => (EscalationRecord)MemberwiseClone();
}
