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
public sealed record CaseAuditFacts(
    int Escalations, double? MedianAcknowledgeMinutes, double? ComplianceRate, int EvaluationsOnTime, int Evaluations, int ConferenceSessions);

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
