using System.Net;

namespace SafetyPlan.Notifications;

public sealed record RenderedNotification(string Subject, string Text, string Html);

/// <summary>The words of a notification, in Dutch or English: the plan, what happened, the rule crossed, and a link.</summary>
public static class NotificationText
{
    public static RenderedNotification Render(Plan plan, Delivery delivery, string recipientName, string language, string baseUrl)
    {
        var nl = language == "nl";
        var link = $"{baseUrl.TrimEnd('/')}/plans/{plan.Id}";
        var escalation = Guid.TryParse(delivery.Reference, out var escalationId) ? plan.FindEscalation(escalationId) : null;
        var bottomLine = escalation is null ? null : plan.FindBottomLine(escalation.BottomLineId);
        var zone = plan.Zone();
        string Time(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString(nl ? "dd-MM-yyyy HH:mm" : "yyyy-MM-dd HH:mm");

        var (subject, lines) = delivery.Subject switch
        {
            NotificationSubject.EscalationRaised or NotificationSubject.EscalationPassedToBackup when escalation is not null => (
                nl ? $"{(delivery.Subject == NotificationSubject.EscalationPassedToBackup ? "Niet bevestigd: " : "")}Bodemeis overschreden in {plan.Title}"
                   : $"{(delivery.Subject == NotificationSubject.EscalationPassedToBackup ? "Not acknowledged: " : "")}Bottom line crossed in {plan.Title}",
                new[]
                {
                    nl ? $"In het veiligheidsplan '{plan.Title}' ({plan.Family}) is een bodemeis overschreden."
                       : $"A bottom line of the safety plan '{plan.Title}' ({plan.Family}) has been crossed.",
                    nl ? $"Bodemeis: {bottomLine?.Text}" : $"Bottom line: {bottomLine?.Text}",
                    nl ? $"Regel: {bottomLine?.Rule.Describe("nl")}" : $"Rule: {bottomLine?.Rule.Describe()}",
                    nl ? $"Wat er gebeurde: {plan.Breaches.LastOrDefault(b => b.At <= escalation.RaisedAt)?.Kind.ToString() ?? "stilte"} om {Time(escalation.RaisedAt)}"
                       : $"What happened: {plan.Breaches.LastOrDefault(b => b.At <= escalation.RaisedAt)?.Kind.ToString() ?? "silence"} at {Time(escalation.RaisedAt)}",
                    delivery.Subject == NotificationSubject.EscalationPassedToBackup
                        ? (nl ? $"De regiehouder heeft niet bevestigd vóór {Time(escalation.AcknowledgeBy)}; u bent de achtervang."
                              : $"The monitoring professional did not acknowledge it by {Time(escalation.AcknowledgeBy)}; you are the backup.")
                        : (nl ? $"Bevestig vóór {Time(escalation.AcknowledgeBy)}, anders gaat de escalatie naar de achtervang."
                              : $"Acknowledge it by {Time(escalation.AcknowledgeBy)}, or it goes to the backup."),
                }),
            NotificationSubject.EvaluationReminder => (
                nl ? $"Evaluatie van {plan.Title} op {plan.EvaluationDue:dd-MM-yyyy}" : $"Evaluation of {plan.Title} on {plan.EvaluationDue:yyyy-MM-dd}",
                new[]
                {
                    nl ? $"Het veiligheidsplan '{plan.Title}' wordt op {plan.EvaluationDue:dd-MM-yyyy} geëvalueerd. Werken de afspraken? Wat moet anders?"
                       : $"The safety plan '{plan.Title}' is evaluated on {plan.EvaluationDue:yyyy-MM-dd}. Are the agreements working? What should change?",
                }),
            NotificationSubject.EvaluationOverdue => (
                nl ? $"Evaluatie van {plan.Title} is over tijd" : $"Evaluation of {plan.Title} is overdue",
                new[]
                {
                    nl ? $"De evaluatie van '{plan.Title}' stond gepland op {delivery.Reference} en is nog niet vastgelegd. Het plan staat op oranje."
                       : $"The evaluation of '{plan.Title}' was due on {delivery.Reference} and has not been recorded. The plan is amber.",
                }),
            _ => (plan.Title, new[] { plan.Title }),
        };

        var greeting = nl ? $"Beste {recipientName}," : $"Dear {recipientName},";
        var open = nl ? $"Open het plan: {link}" : $"Open the plan: {link}";
        var text = string.Join("\n\n", lines.Prepend(greeting).Append(open).Append("SafetyPlan"));
        var html = $"<p>{WebUtility.HtmlEncode(greeting)}</p>"
                   + string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>"))
                   + $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(nl ? "Open het plan" : "Open the plan")}</a></p><p>SafetyPlan</p>";
        return new RenderedNotification(subject, text, html);
    }
}
