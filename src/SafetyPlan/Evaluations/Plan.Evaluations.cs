namespace SafetyPlan.Plans;

// The plan's evaluations: when the next is due, who was reminded of it, and what each one decided.
public sealed partial class Plan
{
    public int Revision { get; set; } = 1;
    public DateOnly? EvaluationDue { get; set; }
    public DateTimeOffset? EvaluationDueSetAt { get; set; }
    /// <summary>Days before each evaluation that reminders go out (<see cref="PlanDrafted.EvaluationReminderDays"/>).</summary>
    public List<int> EvaluationReminderDays { get; set; } = [7, 1];
    /// <summary>The reminders already sent, by <see cref="Scheduling.Deadlines.ReminderKey"/>.</summary>
    public List<string> RemindersSent { get; set; } = [];
    /// <summary>The due dates whose being overdue was already told.</summary>
    public List<DateOnly> OverdueNotified { get; set; } = [];
    public List<EvaluationRecorded> Evaluations { get; set; } = [];

    private void When(EvaluationRecorded e)
    {
        Evaluations.Add(e);
        Revision = e.Revision;
        if (e.Outcome == EvaluationOutcome.Close) (State, ClosedAt) = (PlanState.Closed, e.At);
        EvaluationDue = e.Outcome == EvaluationOutcome.Close ? null : e.NextEvaluationDue;
        EvaluationDueSetAt = e.At;
    }

    private void When(EvaluationReminderDue e) => RemindersSent.Add(Scheduling.Deadlines.ReminderKey(e.EvaluationDue, e.DaysBefore));

    private void When(EvaluationOverdue e) => OverdueNotified.Add(e.EvaluationDue);

    private void CopyEvaluationsTo(Plan copy)
    {
        copy.EvaluationReminderDays = [.. EvaluationReminderDays];
        copy.RemindersSent = [.. RemindersSent];
        copy.OverdueNotified = [.. OverdueNotified];
        copy.Evaluations = [.. Evaluations];
    }
}
