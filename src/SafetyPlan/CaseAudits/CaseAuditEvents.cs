namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// The collaborative case audit (../shared/domain.md, "The practice around the plan"; docs/events.md, "The case audit").

/// <summary>
/// What the plan's history said when an audit was opened (<see cref="CaseAudits.CaseAuditFactsOf"/> defines each figure).
/// </summary>
/// <param name="Escalations">escalations raised</param>
/// <param name="MedianAcknowledgeMinutes">median minutes from raised to first acknowledged, over acknowledged escalations; null: none acknowledged</param>
/// <param name="ComplianceRate">kept occurrences / occurrences with an outcome (0..1); null: none yet</param>
/// <param name="EvaluationsOnTime">evaluations recorded on or before the due date in force, of <paramref name="Evaluations"/></param>
/// <param name="ConferenceSessions">network conference sessions held</param>
/// <param name="ComplianceByAgreement">the compliance of each agreement made (withdrawn ones too), in the order made; null: an
/// audit opened before this figure existed (stored events never change)</param>
/// <param name="ConferenceAttendance">each session held, by date (then the order recorded), with who was present; null: as above</param>
public sealed record CaseAuditFacts(
    int Escalations, double? MedianAcknowledgeMinutes, double? ComplianceRate, int EvaluationsOnTime, int Evaluations, int ConferenceSessions,
    IReadOnlyList<AgreementCompliance>? ComplianceByAgreement = null, IReadOnlyList<ConferenceAttendance>? ConferenceAttendance = null);

/// <summary>
/// One agreement's compliance in an audit's facts, counted by the rule of <see cref="CaseAuditFacts.ComplianceRate"/>
/// (each occurrence once, by its last word): <paramref name="WithOutcome"/> = <paramref name="Kept"/> + <paramref name="Partly"/>
/// + <paramref name="NotKept"/> + <paramref name="Missed"/>; <paramref name="Rate"/> = kept / with an outcome (0..1, to 0.001), null when none.
/// </summary>
/// <param name="Title">the agreement's text as agreed (<see cref="AgreementMade"/>); masked at retention like it</param>
public sealed record AgreementCompliance(
    Guid AgreementId, string Title, int WithOutcome, int Kept, int Partly, int NotKept, int Missed, double? Rate);

/// <summary>
/// One network conference session in an audit's facts (<see cref="ConferenceSessionHeld"/>, without its notes): the date in
/// the plan's zone, the members present (member ids) and the professionals present (user ids).
/// </summary>
public sealed record ConferenceAttendance(Guid SessionId, DateOnly HeldOn, IReadOnlyList<Guid> MembersPresent, IReadOnlyList<string> ProfessionalsPresent);

/// <summary>One practice question's answer: a score of 1 to 5 and an optional note (<see cref="CaseAudits.PracticeQuestions"/>).</summary>
public sealed record CaseAuditAnswer(string Question, int Score, string? Note);

/// <summary>
/// An auditor (or the professional's team lead, <paramref name="AuditorId"/>) opened a case audit with the professional
/// who monitored the plan; <paramref name="Facts"/> are the history as it stood at stream version <paramref name="AsOfVersion"/>.
/// </summary>
public sealed record CaseAuditOpened(
    Guid AuditId, string ProfessionalId, string AuditorId, CaseAuditFacts Facts, long AsOfVersion, DateTimeOffset At) : IPlanEvent;

/// <summary>
/// One of the two wrote the audit's text (the whole of it: answers, reflection, learning points), making its revision
/// <paramref name="Revision"/>; a signature given to an earlier revision no longer counts.
/// </summary>
public sealed record CaseAuditWritten(
    Guid AuditId, IReadOnlyList<CaseAuditAnswer> Answers, string Reflection, string LearningPoints, int Revision, string By,
    DateTimeOffset At) : IPlanEvent;

/// <summary><paramref name="By"/> (the professional or the auditor) signed revision <paramref name="Revision"/> of the audit.</summary>
public sealed record CaseAuditSigned(Guid AuditId, string By, int Revision, DateTimeOffset At) : IPlanEvent;
