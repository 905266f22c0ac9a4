namespace SafetyPlan.Plans;

// Who monitored the plan when: each handover of monitoring, and what it did to the open escalations.
public sealed partial class Plan
{
    /// <summary>
    /// Every handover of monitoring in order (<see cref="MonitoringHandedOver"/>), without its note (the note stays in
    /// the event only, so retention masks it there); <see cref="Handover.MonitorPeriods.Of"/> turns them into periods.
    /// </summary>
    public List<HandoverRecord> Handovers { get; set; } = [];

    private void When(MonitoringHandedOver e)
    {
        Handovers.Add(new HandoverRecord
        {
            FromMonitorId = e.FromMonitorId, FromBackupId = e.FromBackupId, ToMonitorId = e.ToMonitorId, ToBackupId = e.ToBackupId, At = e.At,
        });
        MonitorId = e.ToMonitorId;
        BackupId = e.ToBackupId;
        // The open escalations go along with their deadlines unchanged (AcknowledgeBy, DutyDueAt): the ladder's next step
        // now reaches the new backup, and only the new monitor and backup may respond (RespondToEscalation).
        foreach (var id in e.Escalations ?? [])
            if (FindEscalation(id) is { } escalation)
            {
                escalation.RaisedToMonitorId ??= escalation.MonitorId;
                (escalation.MonitorId, escalation.BackupId) = (e.ToMonitorId, e.ToBackupId);
            }
    }

    private void CopyHandoversTo(Plan copy) => copy.Handovers = Handovers.Select(h => h.Copy()).ToList();
}

/// <summary>One handover of monitoring (<see cref="MonitoringHandedOver"/>) as the plan keeps it: user ids and the moment.</summary>
public sealed class HandoverRecord
{
    public string FromMonitorId { get; set; } = "";
    public string? FromBackupId { get; set; }
    public string ToMonitorId { get; set; } = "";
    public string? ToBackupId { get; set; }
    public DateTimeOffset At { get; set; }

    internal HandoverRecord Copy() => (HandoverRecord)MemberwiseClone();
}
