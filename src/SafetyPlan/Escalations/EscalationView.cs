using Marten.Events.Projections;

namespace SafetyPlan.Escalations;

public enum EscalationState { Open, Acknowledged, Resolved }

/// <summary>The escalation inbox across all plans: one document per escalation, projected inline from the plans' streams.</summary>
public sealed class EscalationView
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public string PlanTitle { get; set; } = "";
    public Guid BottomLineId { get; set; }
    public string BottomLineText { get; set; } = "";
    public string Reason { get; set; } = "";
    /// <summary>The monitor who holds it now: the one it was raised to, or the new monitor of a handover while it was open.</summary>
    public string MonitorId { get; set; } = "";
    public string? BackupId { get; set; }
    /// <summary>
    /// The monitor it was raised to (<see cref="Plans.EscalationRaised.MonitorId"/>), kept through handovers: response
    /// times count for the professional who was monitor when it was raised (docs/events.md, "The practice around the plan").
    /// </summary>
    public string? RaisedToMonitorId { get; set; }
    public EscalationState State { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset AcknowledgeBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public string? Note { get; set; }
    /// <summary>When the monitor's time was up and it went to the backup (or again to the monitor, without one).</summary>
    public DateTimeOffset? PassedToBackupAt { get; set; }
    /// <summary>The duty professional it went to when the backup's time was up too (api-contract.md, "Escalations and plans").</summary>
    public string? DutyId { get; set; }
    public DateTimeOffset? PassedToDutyAt { get; set; }
    /// <summary>Minutes from raising to acknowledging, one decimal; null while nobody acknowledged.</summary>
    public double? MinutesToAcknowledge => AcknowledgedAt is { } at ? Math.Round((at - RaisedAt).TotalMinutes, 1) : null;
    /// <summary>Who held it when it was acknowledged, or holds it now: <c>monitor</c>, <c>backup</c> or <c>duty</c>.</summary>
    public string Step => (AcknowledgedAt ?? DateTimeOffset.MaxValue) switch
    {
        var at when PassedToDutyAt is { } duty && DutyId is not null && duty <= at => "duty",
        var at when PassedToBackupAt is { } backup && backup <= at => "backup",
        _ => "monitor",
    };
}

public sealed partial class EscalationInboxProjection : MultiStreamProjection<EscalationView, Guid>
{
    public EscalationInboxProjection()
    {
        Identity<EscalationRaised>(e => e.EscalationId);
        Identity<EscalationAcknowledged>(e => e.EscalationId);
        Identity<EscalationResolved>(e => e.EscalationId);
        Identity<EscalationPassedToBackup>(e => e.EscalationId);
        Identity<EscalationPassedToDuty>(e => e.EscalationId);
        Identities<MonitoringHandedOver>(e => e.Escalations ?? []);
    }

    public EscalationView Create(JasperFx.Events.IEvent<EscalationRaised> @event) => new()
    {
        Id = @event.Data.EscalationId,
        PlanId = @event.StreamId,
        PlanTitle = @event.Data.PlanTitle,
        BottomLineId = @event.Data.BottomLineId,
        BottomLineText = @event.Data.BottomLineText,
        Reason = @event.Data.Reason,
        MonitorId = @event.Data.MonitorId,
        BackupId = @event.Data.BackupId,
        RaisedToMonitorId = @event.Data.MonitorId,
        State = EscalationState.Open,
        RaisedAt = @event.Data.At,
        AcknowledgeBy = @event.Data.AcknowledgeBy,
    };

    public void Apply(EscalationView view, EscalationAcknowledged e)
    {
        view.State = EscalationState.Acknowledged;
        view.AcknowledgedAt = e.At;
        view.AcknowledgedBy = e.By;
        view.Note = e.Note ?? view.Note;
    }

    public void Apply(EscalationView view, EscalationPassedToBackup e) => view.PassedToBackupAt = e.At;

    public void Apply(EscalationView view, EscalationPassedToDuty e)
    {
        view.PassedToDutyAt = e.At;
        view.DutyId = e.DutyId;
    }

    /// <summary>The escalation was open at a handover of monitoring: it goes to the new monitor and backup, deadlines unchanged.</summary>
    public void Apply(EscalationView view, MonitoringHandedOver e)
    {
        view.RaisedToMonitorId ??= view.MonitorId;
        view.MonitorId = e.ToMonitorId;
        view.BackupId = e.ToBackupId;
    }

    public void Apply(EscalationView view, EscalationResolved e)
    {
        view.State = EscalationState.Resolved;
        view.ResolvedAt = e.At;
        view.ResolvedBy = e.By;
        view.Note = e.Note;
    }
}
