using SafetyPlan.Agreements;
using SafetyPlan.Notifications;

namespace SafetyPlan.Scheduling;

/// <summary>
/// When the responsible member of an agreement is reminded (../shared/domain.md, "The network in the loop";
/// docs/scheduling-and-notifications.md, "Reminders before an occurrence"):
/// <list type="bullet">
/// <item>at <c>occurrence - remindBefore</c>, once per occurrence (the delivery's key names the occurrence), to the
/// responsible member while they are in the network and have reminders on, for an active plan and an agreement not withdrawn;</item>
/// <item>not for an occurrence someone already reported on (the report the report window books on it, <see cref="ReportWindow"/>);</item>
/// <item>not once the occurrence's report window has closed (<c>now &gt;= occurrence + grace</c>, the moment it is missed):
/// a sweep that runs late, after an outage or a jump of the clock, sends the reminders of occurrences that can still be
/// reported on, however late, and none for occurrences that are past (<see cref="IsStale"/>).</item>
/// </list>
/// A member who turns reminders on again, or an agreement made shortly before an occurrence, gets the reminder of the
/// next occurrence still open at once when its moment has already passed.
/// </summary>
public static class Reminders
{
    // Occurrences after the settled ones that are already reported or reminded; bounded by the windows open ahead
    // (reportFrom and remindBefore are at most a day), so a few suffice; the cap only guards against a schedule gone wrong.
    private const int Lookahead = 64;

    /// <summary>
    /// The occurrence whose reminder is the agreement's next one, or null when there is none to send: the first occurrence
    /// after the settled ones (reported or missed in order) that nobody reported on and that has no reminder yet.
    /// Independent of the time asked, like every deadline; <see cref="IsStale"/> says when it is too late to send.
    /// </summary>
    public static DateTimeOffset? Next(Plan plan, Agreement agreement)
    {
        if (plan.State != PlanState.Active || agreement.IsWithdrawn) return null;
        if (plan.ActiveMember(agreement.ResponsibleMemberId) is not { RemindersOff: false }) return null;
        var zone = plan.Zone();
        var from = agreement.SettledUntil ?? agreement.StartsAfter(plan);
        for (var i = 0; i < Lookahead && agreement.Schedule.Next(from, zone) is { } occurrence; i++, from = occurrence)
        {
            if (agreement.IsSettled(occurrence)) continue;
            if (Notify.WasToldMember(plan, NotificationSubject.CheckInReminder, Notify.OccurrenceReference(agreement.Id, occurrence), agreement.ResponsibleMemberId)) continue;
            return occurrence;
        }
        return null;
    }

    /// <summary>The moment the reminder of <paramref name="occurrence"/> is due: <c>remindBefore</c> before it.</summary>
    public static DateTimeOffset DueAt(Agreement agreement, DateTimeOffset occurrence) => occurrence - agreement.RemindBefore;

    /// <summary>Too late to remind: the occurrence's report window closed (it is missed, or will be at this moment).</summary>
    public static bool IsStale(Agreement agreement, DateTimeOffset occurrence, DateTimeOffset now) => now >= ReportWindow.Closes(agreement, occurrence);
}
