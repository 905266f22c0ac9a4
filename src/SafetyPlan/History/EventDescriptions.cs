namespace SafetyPlan.History;

/// <summary>One readable sentence per event, in English and Dutch, for auditors reading a case's story.</summary>
public static class EventDescriptions
{
    /// <summary>The sentence for one plan event, as the history and the case file show it.</summary>
    /// <exception cref="ArgumentException">
    /// the event has no sentence here: every plan event needs one (the event checklist test, <c>when_an_event_is_added</c>,
    /// fails for a new event without it; docs/events.md, "To add an event")
    /// </exception>
    public static Text Describe(object data) => data switch
    {
        PlanDrafted e => new($"Plan '{e.Title}' drafted for {e.Family}; monitoring professional {e.MonitorId}.",
            $"Plan '{e.Title}' opgesteld voor {e.Family}; regiehouder {e.MonitorId}."),
        MemberAdded e => new($"{e.Name} joined the network as {Role(e.Role).En}.", $"{e.Name} is toegevoegd aan het netwerk als {Role(e.Role).Nl}."),
        MemberRemindersSet { Reminders: true } => new("A member turned reminders on.", "Een netwerklid heeft herinneringen aangezet."),
        MemberRemindersSet => new("A member turned reminders off.", "Een netwerklid heeft herinneringen uitgezet."),
        MemberPushSubscribed => new("A member turned on push messages on a phone or browser.", "Een netwerklid heeft pushberichten aangezet op een telefoon of browser."),
        MemberPushEnded { Reason: PushEndReason.Gone } e => new($"A member's push messages stopped working: the push service answered {e.Failure}.",
            $"De pushberichten van een netwerklid werken niet meer: de pushdienst antwoordde {e.Failure}."),
        MemberPushEnded => new("A member turned off push messages on a phone or browser.", "Een netwerklid heeft pushberichten uitgezet op een telefoon of browser."),
        MemberRemoved e => new($"A member left the network: {e.Reason}", $"Een netwerklid is vertrokken: {e.Reason}"),
        SafetyGoalSet e => new($"Safety goal set: {e.Goal}", $"Veiligheidsdoel vastgelegd: {e.Goal}"),
        AgreementMade e => new($"Agreement made: {e.Text} ({e.Schedule.Describe()}).", $"Afspraak gemaakt: {e.Text} ({e.Schedule.Describe()})."),
        AgreementWithdrawn e => new($"Agreement withdrawn: {e.Reason}", $"Afspraak ingetrokken: {e.Reason}"),
        BottomLineSet e => new($"Bottom line set: {e.Text} (rule: {e.Rule.Describe()}).", $"Bodemeis vastgelegd: {e.Text} (regel: {e.Rule.Describe("nl")})."),
        BottomLineRemoved e => new($"Bottom line removed: {e.Reason}", $"Bodemeis verwijderd: {e.Reason}"),
        PlanAgreed e => new($"The network agreed the plan; evaluation due {e.EvaluationDue:yyyy-MM-dd}.",
            $"Het netwerk heeft het plan vastgesteld; evaluatie op {e.EvaluationDue:dd-MM-yyyy}."),
        CheckInLogged e => new($"Check-in: {Outcome(e.Outcome).En} for the occurrence of {e.Occurrence:yyyy-MM-dd HH:mm}{(e.Correction ? " (late correction)" : e.Late ? " (late)" : "")}.",
            $"Terugmelding: {Outcome(e.Outcome).Nl} voor het moment van {e.Occurrence:dd-MM-yyyy HH:mm}{(e.Correction ? " (late correctie)" : e.Late ? " (te laat)" : "")}."),
        CheckInMissed e => new($"No check-in for the occurrence of {e.Occurrence:yyyy-MM-dd HH:mm} by {e.DueBy:HH:mm}: missed.",
            $"Geen terugmelding voor het moment van {e.Occurrence:dd-MM-yyyy HH:mm} vóór {e.DueBy:HH:mm}: gemist."),
        ConcernRaised e => new($"Concern ({e.Severity.ToString().ToLowerInvariant()}): {e.Text}", $"Zorgmelding ({Severity(e.Severity)}): {e.Text}"),
        SafetyRated e => new($"Safety rating: {e.Score}/10.", $"Veiligheidsscore: {e.Score}/10."),
        BreachRecorded e => new($"Breach recorded ({e.Kind.ToString().ToLowerInvariant()}).", $"Schending vastgelegd ({Breach(e.Kind)})."),
        BottomLineCrossed e => new($"Bottom line crossed: {e.Reason}.", $"Bodemeis overschreden: {e.Reason}."),
        EscalationRaised e => new($"Escalation to {e.MonitorId}, to be acknowledged by {e.AcknowledgeBy:yyyy-MM-dd HH:mm}.",
            $"Escalatie naar {e.MonitorId}, te bevestigen vóór {e.AcknowledgeBy:dd-MM-yyyy HH:mm}."),
        EscalationAcknowledged e => new($"Escalation acknowledged by {e.By}.", $"Escalatie bevestigd door {e.By}."),
        EscalationResolved e => new($"Escalation resolved by {e.By}: {e.Note}", $"Escalatie afgehandeld door {e.By}: {e.Note}"),
        EscalationPassedToBackup e => new($"Not acknowledged in time: passed to {e.RecipientId}.", $"Niet op tijd bevestigd: doorgezet naar {e.RecipientId}."),
        EscalationPassedToDuty { DutyId: { } duty } => new($"Not acknowledged by the backup in time either: passed to the duty professional {duty}.",
            $"Ook door de achtervang niet op tijd bevestigd: doorgezet naar de dienstdoende professional {duty}."),
        EscalationPassedToDuty => new("Not acknowledged by the backup in time either; the organisation names no duty professional, so it stays with the monitor and the backup.",
            "Ook door de achtervang niet op tijd bevestigd; de organisatie heeft geen dienstdoende professional ingesteld, dus de escalatie blijft bij regiehouder en achtervang."),
        MonitoringHandedOver e => new(
            $"Monitoring handed over from {e.FromMonitorId} to {e.ToMonitorId}, backup {e.ToBackupId ?? "none"}{Escalations(e, "en")}: {e.Note}",
            $"Regie overgedragen van {e.FromMonitorId} aan {e.ToMonitorId}, achtervang {e.ToBackupId ?? "geen"}{Escalations(e, "nl")}: {e.Note}"),
        EvaluationReminderDue e => new($"Evaluation reminder ({e.DaysBefore} day(s) before {e.EvaluationDue:yyyy-MM-dd}).",
            $"Herinnering evaluatie ({e.DaysBefore} dag(en) vóór {e.EvaluationDue:dd-MM-yyyy})."),
        EvaluationOverdue e => new($"Evaluation of {e.EvaluationDue:yyyy-MM-dd} is overdue.", $"Evaluatie van {e.EvaluationDue:dd-MM-yyyy} is over tijd."),
        EvaluationRecorded e => new($"Evaluation: {e.Outcome.ToString().ToLowerInvariant()}. {e.Notes}", $"Evaluatie: {Evaluation(e.Outcome)}. {e.Notes}"),
        NotificationQueued e => new($"Notification queued: {e.Subject} to {e.RecipientUserId ?? (e.RecipientMemberId is null ? "the organisation" : "a member")} by {e.Channel.ToString().ToLowerInvariant()}.",
            $"Bericht klaargezet: {e.Subject} aan {e.RecipientUserId ?? (e.RecipientMemberId is null ? "de organisatie" : "een netwerklid")} per {e.Channel.ToString().ToLowerInvariant()}."),
        NotificationSent e => new($"Notification delivered to {e.Address}.", $"Bericht afgeleverd bij {e.Address}."),
        NotificationFailed e => new($"Notification not delivered (attempt {e.Attempt}): {e.Error}", $"Bericht niet afgeleverd (poging {e.Attempt}): {e.Error}"),
        NotificationSkipped e => new($"Notification not sent: {e.Reason}", $"Bericht niet verstuurd: {e.Reason}"),
        NotificationAbandoned { Reason: AbandonReason.Refused } e => new(
            $"Notification failed: the receiver refused it for good ({e.Failure}, attempt {e.Attempts}); it is not tried again.",
            $"Bericht mislukt: de ontvanger weigert het definitief ({e.Failure}, poging {e.Attempts}); het wordt niet opnieuw geprobeerd."),
        NotificationAbandoned e => new(
            $"Notification failed: still not delivered after {e.Attempts} attempts ({e.Failure}); it is not tried again.",
            $"Bericht mislukt: na {e.Attempts} pogingen nog niet afgeleverd ({e.Failure}); het wordt niet opnieuw geprobeerd."),
        PersonalDataMasked e => new($"Personal data masked ({e.Policy}); the original hash chain was verified intact first.",
            $"Persoonsgegevens afgeschermd ({e.Policy}); de oorspronkelijke hashketen is eerst intact bevonden."),
        PersonalLinkIssued e => new($"Personal link issued to a member by {e.IssuedBy}, valid until {e.ExpiresAt:yyyy-MM-dd HH:mm}.",
            $"Persoonlijke link uitgegeven aan een netwerklid door {e.IssuedBy}, geldig tot {e.ExpiresAt:dd-MM-yyyy HH:mm}."),
        PersonalLinkRevoked e => new($"Personal link revoked by {e.By}: {e.Reason}", $"Persoonlijke link ingetrokken door {e.By}: {e.Reason}"),
        PersonalLinkUsed => new("A member signed in with their personal link.", "Een netwerklid heeft zich aangemeld met de persoonlijke link."),
        ReferralRecorded e => new($"Referral by {e.By}, received {e.ReceivedOn:yyyy-MM-dd}; the first conference session is due by {e.ConferenceDue:yyyy-MM-dd}.",
            $"Aanmelding door {e.By}, ontvangen {e.ReceivedOn:dd-MM-yyyy}; de eerste sessie van de netwerkconferentie moet uiterlijk {e.ConferenceDue:dd-MM-yyyy} zijn."),
        ConferenceSessionHeld e => new(
            $"Conference session held on {e.HeldOn:yyyy-MM-dd} with {e.MembersPresent.Count} network member(s) and {e.ProfessionalsPresent.Count} professional(s) ({string.Join(", ", e.ProfessionalsPresent)}).{(e.Notes.Length > 0 ? " " + e.Notes : "")}",
            $"Sessie van de netwerkconferentie gehouden op {e.HeldOn:dd-MM-yyyy} met {e.MembersPresent.Count} netwerklid/-leden en {e.ProfessionalsPresent.Count} professional(s) ({string.Join(", ", e.ProfessionalsPresent)}).{(e.Notes.Length > 0 ? " " + e.Notes : "")}"),
        ConferenceOverdue e => new($"No conference session held by {e.ConferenceDue:yyyy-MM-dd}: the conference is overdue.",
            $"Geen sessie van de netwerkconferentie gehouden uiterlijk {e.ConferenceDue:dd-MM-yyyy}: de netwerkconferentie is over tijd."),
        // A case audit's text is read only by its participants and auditors (CaseAudits/): never in a description.
        CaseAuditOpened e => new($"Case audit opened by {e.AuditorId} with {e.ProfessionalId}; its facts are those of version {e.AsOfVersion}.",
            $"Casusaudit geopend door {e.AuditorId} met {e.ProfessionalId}; de feiten zijn die van versie {e.AsOfVersion}."),
        CaseAuditWritten e => new($"Case audit written by {e.By} (revision {e.Revision}).", $"Casusaudit geschreven door {e.By} (herziening {e.Revision})."),
        CaseAuditSigned e => new($"Case audit signed by {e.By} (revision {e.Revision}).", $"Casusaudit ondertekend door {e.By} (herziening {e.Revision})."),
        _ => throw new ArgumentException($"{data.GetType().Name} has no description in History/EventDescriptions.cs.", nameof(data)),
    };

    private static Text Role(MemberRole role) => role switch
    {
        MemberRole.Parent => new("parent", "ouder"),
        MemberRole.Child => new("child", "kind"),
        MemberRole.Professional => new("professional", "professional"),
        _ => new("network member", "netwerklid"),
    };

    private static Text Outcome(CheckInOutcome outcome) => outcome switch
    {
        CheckInOutcome.Kept => new("kept", "nagekomen"),
        CheckInOutcome.Partly => new("partly kept", "deels nagekomen"),
        _ => new("not kept", "niet nagekomen"),
    };

    private static string Severity(Severity severity) => severity switch { Plans.Severity.High => "hoog", Plans.Severity.Medium => "middel", _ => "laag" };
    private static string Breach(BreachKind kind) => kind switch { BreachKind.NotKept => "niet nagekomen", BreachKind.Concern => "zorgmelding", _ => "gemist" };
    private static string Evaluation(EvaluationOutcome outcome) => outcome switch
    {
        EvaluationOutcome.Continue => "doorgaan",
        EvaluationOutcome.Adjust => "bijstellen",
        EvaluationOutcome.Close => "afsluiten",
        _ => "opschalen",
    };

    /// <summary>", with 2 open escalations" (or nothing): how many open escalations went along with a handover.</summary>
    private static string Escalations(MonitoringHandedOver e, string language) => (e.Escalations?.Count ?? 0) switch
    {
        0 => "",
        1 => language == "nl" ? ", met 1 open escalatie" : ", with 1 open escalation",
        var n => language == "nl" ? $", met {n} open escalaties" : $", with {n} open escalations",
    };
}
