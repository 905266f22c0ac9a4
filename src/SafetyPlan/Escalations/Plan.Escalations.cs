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
            RaisedAt = e.At, AcknowledgeBy = e.AcknowledgeBy,
        });
        FindBottomLine(e.BottomLineId)!.OpenEscalationId = e.EscalationId;
    }

    private void When(EscalationAcknowledged e) => FindEscalation(e.EscalationId)!.AcknowledgedAt = e.At;

    private void When(EscalationResolved e)
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

    private void When(EscalationPassedToBackup e) => FindEscalation(e.EscalationId)!.PassedToBackupAt = e.At;

    private void CopyEscalationsTo(Plan copy) => copy.Escalations = Escalations.Select(e => e.Copy()).ToList();
}

/// <summary>An escalation a crossing raised (<see cref="EscalationRaised"/>) and how far it got.</summary>
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

    internal EscalationRecord Copy() => (EscalationRecord)MemberwiseClone();
}
