using SafetyPlan.Plans;

namespace SafetyPlan.Notifications;

/// <summary>Who is told about what: queues one delivery per (subject, reference, recipient, channel).</summary>
public static class Notify
{
    public static string Key(NotificationSubject subject, string reference, string recipient, NotificationChannel channel) =>
        $"{subject}:{reference}:{recipient}:{channel}".ToLowerInvariant();

    public static NotificationQueued Professional(NotificationSubject subject, string reference, string userId, DateTimeOffset at) =>
        new(Key(subject, reference, $"user/{userId}", NotificationChannel.Email), subject, reference, userId, null, NotificationChannel.Email, at);

    /// <summary>The organisation's case-management system, by webhook: once per subject, whoever the people told are.</summary>
    public static NotificationQueued Organisation(NotificationSubject subject, string reference, DateTimeOffset at) =>
        new(Key(subject, reference, "organisation", NotificationChannel.Webhook), subject, reference, null, null, NotificationChannel.Webhook, at);

    /// <summary>A professional by e-mail, and the organisation by webhook.</summary>
    public static IEnumerable<NotificationQueued> ProfessionalAndOrganisation(NotificationSubject subject, string reference, string userId, DateTimeOffset at) =>
        [Professional(subject, reference, userId, at), Organisation(subject, reference, at)];

    public static NotificationQueued Member(NotificationSubject subject, string reference, Guid memberId, DateTimeOffset at) =>
        new(Key(subject, reference, $"member/{memberId}", NotificationChannel.Email), subject, reference, null, memberId, NotificationChannel.Email, at);

    /// <summary>Members are reminded of the evaluation when the plan has an e-mail address for them.</summary>
    public static IEnumerable<NotificationQueued> EvaluationReminder(Plan plan, string reference, DateTimeOffset at) =>
        plan.Members.Where(m => m.RemovedAt is null && !string.IsNullOrWhiteSpace(m.Email))
            .Select(m => Member(NotificationSubject.EvaluationReminder, reference, m.Id, at))
            .Prepend(Professional(NotificationSubject.EvaluationReminder, reference, plan.MonitorId, at))
            .Append(Organisation(NotificationSubject.EvaluationReminder, reference, at));
}
