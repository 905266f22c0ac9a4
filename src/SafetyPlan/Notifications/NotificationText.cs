using System.Net;

namespace SafetyPlan.Notifications;

public sealed record RenderedNotification(string Subject, string Text, string Html);

/// <summary>
/// The words of an e-mail, in Dutch or English: a "waiting-room" message (NTA 7516; ../shared/domain.md, "Privacy of
/// messages"). It says what kind of thing happened, by when to act, and links to the plan; it never names the family,
/// the children, the plan's title, the recipient, or any agreement, bottom line, rule, reason or note. Whoever follows
/// the link signs in and reads the rest there.
/// </summary>
public static class NotificationText
{
    /// <param name="language"><c>nl</c> or <c>en</c> (anything else: English)</param>
    /// <param name="baseUrl">the address people reach SafetyPlan at (<c>App:BaseUrl</c>)</param>
    public static RenderedNotification Render(Plan plan, Delivery delivery, string language, string baseUrl)
    {
        var nl = language == "nl";
        // What a member is told about their agreements points to their own page (signed in with their personal link).
        var occurrence = Notify.TryReadOccurrenceReference(delivery.Reference, out _, out var at) ? at : (DateTimeOffset?)null;
        var escalation = Guid.TryParse(delivery.Reference, out var escalationId) ? plan.FindEscalation(escalationId) : null;
        var path = Path(plan, delivery, escalation);
        var toMemberPage = path == "/member";
        var link = $"{baseUrl.TrimEnd('/')}{path}";
        var zone = plan.Zone();
        string Time(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString(nl ? "dd-MM-yyyy HH:mm" : "yyyy-MM-dd HH:mm");

        var (subject, lines) = delivery.Subject switch
        {
            NotificationSubject.EscalationRaised when escalation is not null => (
                nl ? "Bodemeis overschreden in een veiligheidsplan" : "Bottom line crossed in a safety plan",
                new[]
                {
                    nl ? "In een veiligheidsplan dat u volgt is een bodemeis overschreden." : "A bottom line of a safety plan you monitor has been crossed.",
                    escalation.BackupId is not null
                        ? nl ? $"Bevestig vóór {Time(escalation.AcknowledgeBy)}, anders gaat de escalatie naar de achtervang."
                             : $"Acknowledge it by {Time(escalation.AcknowledgeBy)}, or it goes to the backup."
                        : nl ? $"Bevestig vóór {Time(escalation.AcknowledgeBy)}. Het plan heeft geen achtervang: u krijgt dan een herinnering, en is de escalatie om {Time(escalation.DutyDueAt)} nog niet bevestigd, dan gaat ze naar de dienstdoende professional van uw organisatie."
                             : $"Acknowledge it by {Time(escalation.AcknowledgeBy)}. The plan has no backup: you are then reminded, and if it is still not acknowledged at {Time(escalation.DutyDueAt)}, it goes to your organisation's duty professional.",
                }),
            // A plan without a backup: the step to the backup goes to the monitor again (Scheduling/Sweep.cs), who is told what comes next.
            NotificationSubject.EscalationPassedToBackup when escalation is { BackupId: null } => (
                nl ? "Nog steeds niet bevestigd: bodemeis overschreden in een veiligheidsplan" : "Still not acknowledged: bottom line crossed in a safety plan",
                new[]
                {
                    nl ? $"Een bodemeis van een veiligheidsplan dat u volgt is overschreden en niet bevestigd vóór {Time(escalation.AcknowledgeBy)}."
                       : $"A bottom line of a safety plan you monitor has been crossed and was not acknowledged by {Time(escalation.AcknowledgeBy)}.",
                    nl ? $"Het plan heeft geen achtervang. Bevestig vóór {Time(escalation.DutyDueAt)}, anders gaat de escalatie naar de dienstdoende professional van uw organisatie."
                       : $"The plan has no backup. Acknowledge it by {Time(escalation.DutyDueAt)}, or it goes to your organisation's duty professional.",
                }),
            NotificationSubject.EscalationPassedToBackup when escalation is not null => (
                nl ? "Niet bevestigd: bodemeis overschreden in een veiligheidsplan" : "Not acknowledged: bottom line crossed in a safety plan",
                new[]
                {
                    nl ? "In een veiligheidsplan is een bodemeis overschreden." : "A bottom line of a safety plan has been crossed.",
                    nl ? $"De regiehouder heeft niet bevestigd vóór {Time(escalation.AcknowledgeBy)}; u bent de achtervang."
                       : $"The monitoring professional did not acknowledge it by {Time(escalation.AcknowledgeBy)}; you are the backup.",
                }),
            NotificationSubject.EscalationPassedToDuty when escalation is not null => (
                nl ? "Dienstdoende: niet bevestigde escalatie in een veiligheidsplan" : "On duty: unacknowledged escalation in a safety plan",
                new[]
                {
                    nl ? "In een veiligheidsplan is een bodemeis overschreden en noch de regiehouder noch de achtervang heeft op tijd bevestigd."
                       : "A bottom line of a safety plan has been crossed and neither the monitoring professional nor the backup acknowledged it in time.",
                    nl ? "U bent de dienstdoende professional van uw organisatie: bevestig de escalatie en neem de zorg over."
                       : "You are your organisation's duty professional: acknowledge the escalation and take it on.",
                }),
            NotificationSubject.EvaluationReminder => (
                nl ? "Evaluatie van een veiligheidsplan komt eraan" : "Evaluation of a safety plan is coming up",
                new[]
                {
                    nl ? $"Een veiligheidsplan waarbij u betrokken bent wordt op {plan.EvaluationDue:dd-MM-yyyy} geëvalueerd."
                       : $"A safety plan you are part of is evaluated on {plan.EvaluationDue:yyyy-MM-dd}.",
                }),
            NotificationSubject.EvaluationOverdue => (
                nl ? "Evaluatie van een veiligheidsplan is over tijd" : "Evaluation of a safety plan is overdue",
                new[]
                {
                    nl ? "De evaluatie van een veiligheidsplan dat u volgt is over tijd en nog niet vastgelegd."
                       : "The evaluation of a safety plan you monitor is overdue and has not been recorded.",
                }),
            NotificationSubject.ConferenceOverdue => (
                nl ? "Netwerkconferentie van een veiligheidsplan is over tijd" : "Network conference of a safety plan is overdue",
                new[]
                {
                    nl ? "Voor een veiligheidsplan dat u volgt is de eerste sessie van de netwerkconferentie niet op tijd vastgelegd."
                       : "The first session of the network conference of a safety plan you monitor has not been recorded in time.",
                }),
            NotificationSubject.CheckInReminder when occurrence is { } o => (
                nl ? "Herinnering: straks een afspraak uit het veiligheidsplan" : "Reminder: an agreement of the safety plan is coming up",
                new[]
                {
                    nl ? $"Om {Time(o)} staat een afspraak voor u in het veiligheidsplan." : $"At {Time(o)} there is an agreement for you in the safety plan.",
                    nl ? "Laat op uw pagina weten hoe het ging." : "Let us know on your page how it went.",
                }),
            NotificationSubject.AgreementSlipped when occurrence is { } o => (
                nl ? "Een afspraak in het veiligheidsplan is niet gelukt" : "An agreement of the safety plan did not work out",
                new[]
                {
                    nl ? $"Een afspraak van {Time(o)} in een veiligheidsplan waarbij u betrokken bent, is niet nagekomen of er is niet op teruggemeld."
                       : $"An agreement of {Time(o)} in a safety plan you are part of was not kept or not reported on.",
                    nl ? "U bent gevraagd dit in de gaten te houden; kijk op uw pagina wat u kunt doen." : "You were asked to keep an eye on it; see your page for what you can do.",
                }),
            // Who hands over to whom, and the note, are case data: the message says only that it happened.
            NotificationSubject.MonitoringHandedOver when delivery.RecipientMemberId is not null => (
                nl ? "Een nieuwe regiehouder voor het veiligheidsplan" : "A new monitoring professional for the safety plan",
                new[]
                {
                    nl ? "Een veiligheidsplan waarbij u betrokken bent heeft een nieuwe regiehouder: de professional die het plan volgt en die u kunt bereiken."
                       : "A safety plan you are part of has a new monitoring professional: the professional who follows the plan and whom you can reach.",
                    nl ? "Uw afspraken en uw pagina blijven hetzelfde." : "Your agreements and your page stay the same.",
                }),
            NotificationSubject.MonitoringHandedOver => (
                nl ? "De regie over een veiligheidsplan is aan u overgedragen" : "Monitoring of a safety plan was handed over to you",
                new[]
                {
                    nl ? "U bent nu regiehouder of achtervang van een veiligheidsplan. Lees de overdrachtsnotitie en de open escalaties in het plan."
                       : "You are now the monitoring professional or the backup of a safety plan. Read the handover note and the open escalations in the plan.",
                }),
            _ => (
                nl ? "Nieuw bericht in SafetyPlan" : "New message in SafetyPlan",
                new[] { nl ? "Er is iets nieuws in een veiligheidsplan." : "There is something new in a safety plan." }),
        };

        var greeting = nl ? "Goedendag," : "Hello,";
        var open = !toMemberPage
            ? nl ? $"Meld u aan en open het plan: {link}" : $"Sign in and open the plan: {link}"
            : nl ? $"Open uw pagina met uw persoonlijke link: {link}" : $"Open your page with your personal link: {link}";
        var text = string.Join("\n\n", lines.Prepend(greeting).Append(open).Append("SafetyPlan"));
        var html = $"<p>{WebUtility.HtmlEncode(greeting)}</p>"
                   + string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>"))
                   + $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(!toMemberPage ? nl ? "Open het plan" : "Open the plan" : nl ? "Open uw pagina" : "Open your page")}</a></p><p>SafetyPlan</p>";
        return new RenderedNotification(subject, text, html);
    }

    /// <summary>
    /// Where a message points, as a path: a member's own page for what a member is told; an escalation's row on the plan
    /// page (<c>/plans/{planId}#escalation-{id}</c>, with its acknowledge form: one click after sign-in); else the plan page.
    /// </summary>
    public static string Path(Plan plan, Delivery delivery, EscalationRecord? escalation) =>
        delivery.Subject is NotificationSubject.CheckInReminder or NotificationSubject.AgreementSlipped
            || (delivery.Subject is NotificationSubject.MonitoringHandedOver && delivery.RecipientMemberId is not null) ? "/member"
        : escalation is not null ? $"/plans/{plan.Id}#escalation-{escalation.Id}"
        : $"/plans/{plan.Id}";
}
