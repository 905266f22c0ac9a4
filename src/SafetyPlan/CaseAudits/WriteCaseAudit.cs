namespace SafetyPlan.CaseAudits;

/// <summary>One answer in PUT /api/plans/{planId}/case-audits/{auditId}.</summary>
/// <param name="Score">1 (not at all) to 5 (fully)</param>
public sealed record CaseAuditAnswerRequest(int? Score, [property: MaxLength(Bounds.NoteLength)] string? Note);

/// <summary>
/// The body of PUT /api/plans/{planId}/case-audits/{auditId}: the whole text of the audit. <c>answers</c> by practice
/// question key (<see cref="PracticeQuestions"/>; questions left out are unanswered), <c>reflection</c> and
/// <c>learningPoints</c> (absent: empty).
/// </summary>
public sealed record WriteCaseAuditRequest(
    Dictionary<string, CaseAuditAnswerRequest?>? Answers,
    [property: MaxLength(Bounds.NotesLength)] string? Reflection,
    [property: MaxLength(Bounds.NotesLength)] string? LearningPoints)
{
    /// <summary>The command, or 400 naming every wrong field (<c>answers.&lt;key&gt;</c> for an unknown question, <c>answers.&lt;key&gt;.score</c>, ...).</summary>
    public Decision<WriteCaseAudit> ToCommand(Guid planId, Guid auditId, Caller caller)
    {
        var errors = new FieldErrors()
            .Optional("reflection", Reflection, Bounds.NotesLength)
            .Optional("learningPoints", LearningPoints, Bounds.NotesLength);
        var answers = new List<CaseAuditAnswer>();
        foreach (var (key, answer) in Answers ?? [])
        {
            var field = $"answers.{key}";
            if (!PracticeQuestions.IsKnown(key))
            {
                errors.Add(field, $"'{key}' is not a practice question; they are: {string.Join(", ", PracticeQuestions.All.Select(q => q.Key))}.",
                    $"'{key}' is geen praktijkvraag; dat zijn: {string.Join(", ", PracticeQuestions.All.Select(q => q.Key))}.");
                continue;
            }
            if (answer?.Score is not (>= Bounds.MinAuditScore and <= Bounds.MaxAuditScore))
                errors.Add($"{field}.score", $"'{field}.score' must be a whole number from {Bounds.MinAuditScore} to {Bounds.MaxAuditScore}.",
                    $"'{field}.score' moet een heel getal van {Bounds.MinAuditScore} tot {Bounds.MaxAuditScore} zijn.");
            errors.Optional($"{field}.note", answer?.Note, Bounds.NoteLength);
            if (answer?.Score is { } score)
                answers.Add(new CaseAuditAnswer(key, score, string.IsNullOrWhiteSpace(answer.Note) ? null : answer.Note.Trim()));
        }
        if (errors.ToRejection() is { } invalid) return invalid;
        // In the questions' own order, so that the same answers are the same text whatever order the client sent them in.
        var ordered = answers.OrderBy(a => PracticeQuestions.All.ToList().FindIndex(q => q.Key == a.Question)).ToList();
        return Decision.Accept(new WriteCaseAudit(planId, auditId, ordered, Reflection?.Trim() ?? "", LearningPoints?.Trim() ?? "", caller));
    }

    /// <summary>PUT /api/plans/{planId}/case-audits/{auditId} (its two participants): 200 with the audit; 400, 403, 404, 409 once signed.</summary>
    public static async Task<OkAnswer<CaseAuditView>> Put(Guid planId, Guid auditId, [FromBody] WriteCaseAuditRequest request, [AsParameters] Sender send) =>
        send.Ok(await request.ToCommand(planId, auditId, send.Caller).Then(send.Decide));
}

/// <summary>
/// One of the audit's two participants writes its whole text. A text equal to the current one appends nothing. A change
/// after a signature makes a new revision: the signature covered the text signed, so it no longer counts and both sign
/// again (docs/security.md, "Case audits"). Once both signed, the audit is unchangeable (409).
/// </summary>
public sealed record WriteCaseAudit(Guid PlanId, Guid AuditId, IReadOnlyList<CaseAuditAnswer> Answers, string Reflection, string LearningPoints, Caller Caller)
    : IPlanCommand<CaseAuditView>, IDecidesItsOwnAccess
{
    Decision<CaseAuditView> IPlanCommand<CaseAuditView>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CaseAuditView> Decide(Plan? plan, WriteCaseAudit command, DateTimeOffset now)
    {
        if (CaseAuditGuards.Participant(plan, command.PlanId, command.AuditId, command.Caller) is { } refused) return refused;
        var audit = plan!.FindCaseAudit(command.AuditId)!;
        if (audit.IsSigned) return CaseAuditGuards.Signed;
        if (audit.Revision > 0 && audit.Answers.SequenceEqual(command.Answers) && audit.Reflection == command.Reflection && audit.LearningPoints == command.LearningPoints)
            return Decision.Repeat(CaseAuditView.Of(audit));
        var written = new CaseAuditWritten(command.AuditId, command.Answers, command.Reflection, command.LearningPoints, audit.Revision + 1, command.Caller.UserId, now);
        return Decision.Accept(CaseAuditView.Of(Applied(plan, command.AuditId, written)), written);
    }

    /// <summary>The audit as <paramref name="event"/> leaves it, on a copy of the plan (Marten applies the appended event to the plan itself).</summary>
    internal static CaseAudit Applied(Plan plan, Guid auditId, IPlanEvent @event) => Plan.Evolve(plan.Copy(), @event).FindCaseAudit(auditId)!;
}

/// <summary>
/// One of the two participants signs the audit's current revision (POST .../sign, no body). Signing again appends nothing;
/// once both signed, the audit is signed and closed. 409 before anything was written.
/// </summary>
public sealed record SignCaseAudit(Guid PlanId, Guid AuditId, Caller Caller) : IPlanCommand<CaseAuditView>, IDecidesItsOwnAccess
{
    Decision<CaseAuditView> IPlanCommand<CaseAuditView>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CaseAuditView> Decide(Plan? plan, SignCaseAudit command, DateTimeOffset now)
    {
        if (CaseAuditGuards.Participant(plan, command.PlanId, command.AuditId, command.Caller) is { } refused) return refused;
        var audit = plan!.FindCaseAudit(command.AuditId)!;
        if (audit.IsSigned || audit.SignedBy.Contains(command.Caller.UserId)) return Decision.Repeat(CaseAuditView.Of(audit));
        if (audit.Revision == 0)
            return Rejection.Conflict("Nothing has been written in this audit yet: write it before signing.",
                "Er is nog niets geschreven in deze audit: schrijf hem voordat u ondertekent.");
        var signed = new CaseAuditSigned(command.AuditId, command.Caller.UserId, audit.Revision, now);
        return Decision.Accept(CaseAuditView.Of(WriteCaseAudit.Applied(plan, command.AuditId, signed)), signed);
    }

    /// <summary>POST /api/plans/{planId}/case-audits/{auditId}/sign (its two participants): 200 with the audit (also when repeated); 403, 404, 409.</summary>
    public static async Task<OkAnswer<CaseAuditView>> Post(Guid planId, Guid auditId, [AsParameters] Sender send) =>
        send.Ok(await send.Decide(new SignCaseAudit(planId, auditId, send.Caller)));
}

/// <summary>The checks of every change to an audit, and who may read one.</summary>
public static class CaseAuditGuards
{
    /// <summary>404 for no plan or no such audit; 403 for anyone but its two participants.</summary>
    public static Rejection? Participant(Plan? plan, Guid planId, Guid auditId, Caller caller)
    {
        if (plan is null) return Rejection.PlanNotFound(planId);
        if (plan.FindCaseAudit(auditId) is not { } audit) return NotFound(auditId);
        return audit.IsParticipant(caller.UserId) && !caller.IsMember ? null
            : Rejection.Forbidden("Only the audit's professional and auditor change or sign it.",
                "Alleen de professional en de auditor van de audit wijzigen of ondertekenen hem.");
    }

    /// <summary>
    /// Who reads an audit: its two participants and the organisation's auditors (tenancy already kept out every other
    /// organisation). Not the plan's team, backup or monitor when not the participant, and never a member: 403.
    /// </summary>
    public static bool MayRead(CaseAudit audit, Caller caller) =>
        !caller.IsMember && (caller.IsAuditor || audit.IsParticipant(caller.UserId));

    /// <summary>What the history and the case file's timeline hold in place of an audit's text for anyone but an auditor.</summary>
    public const string Withheld = "[alleen in de audit zelf / only in the audit itself]";

    /// <summary>
    /// An event as the history and the case file show it to <paramref name="caller"/>: an audit's text (answers,
    /// reflection, learning points) only to the organisation's auditors; everyone else who reads the plan's history
    /// (its monitor, backup and team) sees that it was written, and reads the text in the audit itself if a participant.
    /// </summary>
    public static object ForReader(object data, Caller caller) => data is CaseAuditWritten e && !caller.IsAuditor
        ? e with { Answers = [], Reflection = Withheld, LearningPoints = Withheld }
        : data;

    public static Rejection NotFound(Guid auditId) =>
        Rejection.NotFound($"There is no case audit with id {auditId} on this plan.", $"Er is geen casusaudit met id {auditId} op dit plan.");

    public static readonly Rejection Signed = Rejection.Conflict(
        "The audit is signed by both and can no longer be changed.", "De audit is door beiden ondertekend en kan niet meer worden gewijzigd.");

    public static readonly Rejection MayNotRead = Rejection.Forbidden(
        "Only the audit's professional and auditor, and the organisation's auditors, read a case audit.",
        "Alleen de professional en de auditor van de audit, en de auditors van de organisatie, lezen een casusaudit.");
}
