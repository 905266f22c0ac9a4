namespace SafetyPlan.CaseAudits;

/// <summary>One answer in PUT /api/plans/{planId}/case-audits/{auditId}.</summary>
/// <param name="Score">1 (not at all) to 5 (fully)</param>
public sealed record CaseAuditAnswerRequest(int? Score, [property: MaxLength(Bounds.NoteLength)] string? Note);

/// <summary>
/// The body of PUT /api/plans/{planId}/case-audits/{auditId}: the whole text of the audit. <c>answers</c> by practice
/// question key (<see cref="PracticeQuestions"/>; questions left out are unanswered), <c>reflection</c> and
/// <c>learningPoints</c> (absent: empty). <c>revision</c>, optional: the revision the writer started from (as GET
/// answered it; 0 for an audit not yet written); when given and no longer the audit's revision, 409 and nothing appended
/// (someone saved in between); absent, the text is written whatever the revision (the contract's original body).
/// </summary>
public sealed record WriteCaseAuditRequest(
    Dictionary<string, CaseAuditAnswerRequest?>? Answers,
    [property: MaxLength(Bounds.NotesLength)] string? Reflection,
    [property: MaxLength(Bounds.NotesLength)] string? LearningPoints,
    [property: Range(0, int.MaxValue)] int? Revision = null)
{
    /// <summary>
    /// The command, or 400 naming every wrong field (<c>answers.&lt;key&gt;</c> for an unknown question,
    /// <c>answers.&lt;key&gt;.score</c>, <c>revision</c> when negative, ...).
    /// </summary>
    public Decision<WriteCaseAudit> ToCommand(Guid planId, Guid auditId, Caller caller)
    {
        var errors = new FieldErrors()
            .Optional("reflection", Reflection, Bounds.NotesLength)
            .Optional("learningPoints", LearningPoints, Bounds.NotesLength);
        if (Revision is < 0)
            errors.Add("revision", "'revision' must be a whole number of 0 or more (the revision the text was read at).",
                "'revision' moet een heel getal van 0 of meer zijn (de revisie waarop de tekst gelezen is).");
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
        return Decision.Accept(new WriteCaseAudit(planId, auditId, ordered, Reflection?.Trim() ?? "", LearningPoints?.Trim() ?? "", caller, Revision));
    }

    /// <summary>
    /// PUT /api/plans/{planId}/case-audits/{auditId} (its two participants): 200 with the audit; 400, 403, 404; 409 once
    /// signed, or when <c>revision</c> was given and someone saved since (<see cref="CaseAuditGuards.Stale"/>).
    /// </summary>
    public static async Task<OkAnswer<CaseAuditView>> Put(Guid planId, Guid auditId, [FromBody] WriteCaseAuditRequest request, [AsParameters] Sender send) =>
        send.Ok(await request.ToCommand(planId, auditId, send.Caller).Then(send.Decide));
}

/// <summary>
/// One of the audit's two participants writes its whole text. A text equal to the current one appends nothing. A change
/// after a signature makes a new revision: the signature covered the text signed, so it no longer counts and both sign
/// again (docs/security.md, "Case audits"). Once both signed, the audit is unchangeable (409). <paramref name="ReadRevision"/>:
/// the revision the writer started from; when given and not the audit's current one, 409 (<see cref="CaseAuditGuards.Stale"/>),
/// so that a save never silently overwrites a text the writer did not read. null: last writer wins (the original contract).
/// </summary>
public sealed record WriteCaseAudit(Guid PlanId, Guid AuditId, IReadOnlyList<CaseAuditAnswer> Answers, string Reflection, string LearningPoints, Caller Caller,
    int? ReadRevision = null)
    : IPlanCommand<CaseAuditView>, IDecidesItsOwnAccess
{
    Decision<CaseAuditView> IPlanCommand<CaseAuditView>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CaseAuditView> Decide(Plan? plan, WriteCaseAudit command, DateTimeOffset now)
    {
        if (CaseAuditGuards.Participant(plan, command.PlanId, command.AuditId, command.Caller) is { } refused) return refused;
        var audit = plan!.FindCaseAudit(command.AuditId)!;
        if (audit.IsSigned) return CaseAuditGuards.Signed;
        if (audit.Revision > 0 && audit.Answers.SequenceEqual(command.Answers) && audit.Reflection == command.Reflection && audit.LearningPoints == command.LearningPoints)
            return Decision.Repeat(CaseAuditView.Of(audit)); // the same text: nothing of anyone's is overwritten, whatever was read
        if (command.ReadRevision is { } read && read != audit.Revision) return CaseAuditGuards.Stale(read, audit.Revision);
        var written = new CaseAuditWritten(command.AuditId, command.Answers, command.Reflection, command.LearningPoints, audit.Revision + 1, command.Caller.UserId, now);
        return Decision.Accept(CaseAuditView.Of(Applied(plan, command.AuditId, written)), written);
    }

    /// <summary>The audit as <paramref name="event"/> leaves it, on a copy of the plan (Marten applies the appended event to the plan itself).</summary>
    internal static CaseAudit Applied(Plan plan, Guid auditId, IPlanEvent @event) => Plan.Evolve(plan.Copy(), @event).FindCaseAudit(auditId)!;
}

/// <summary>
/// The optional body of POST /api/plans/{planId}/case-audits/{auditId}/sign: <c>revision</c>, the revision of the text
/// the signer read (a whole number from 1; else 400 naming <c>revision</c>). Absent (or no body): the current revision.
/// </summary>
public sealed record SignCaseAuditRequest([property: Range(1, int.MaxValue)] int? Revision)
{
    /// <summary>The command, or 400 naming <c>revision</c> when it is not a positive whole number.</summary>
    public Decision<SignCaseAudit> ToCommand(Guid planId, Guid auditId, Caller caller) =>
        Revision is < 1
            ? Rejection.Invalid("revision", "'revision' must be a whole number of 1 or more (the revision of the text that was read).",
                "'revision' moet een heel getal van 1 of meer zijn (de revisie van de tekst die gelezen is).")
            : Decision.Accept(new SignCaseAudit(planId, auditId, caller, Revision));
}

/// <summary>
/// One of the two participants signs the audit's current revision (POST .../sign, body optional). <paramref name="ReadRevision"/>:
/// the revision the signer read; when given and not the current one (the other participant saved in between), 409 and
/// nothing appended (<see cref="CaseAuditGuards.Stale"/>): a signature covers only a text its signer saw. null: the
/// current revision (the original contract). Signing again appends nothing; once both signed, the audit is signed and
/// closed. 409 before anything was written.
/// </summary>
public sealed record SignCaseAudit(Guid PlanId, Guid AuditId, Caller Caller, int? ReadRevision = null) : IPlanCommand<CaseAuditView>, IDecidesItsOwnAccess
{
    Decision<CaseAuditView> IPlanCommand<CaseAuditView>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    public static Decision<CaseAuditView> Decide(Plan? plan, SignCaseAudit command, DateTimeOffset now)
    {
        if (CaseAuditGuards.Participant(plan, command.PlanId, command.AuditId, command.Caller) is { } refused) return refused;
        var audit = plan!.FindCaseAudit(command.AuditId)!;
        if (command.ReadRevision is { } read && read != audit.Revision) return CaseAuditGuards.Stale(read, audit.Revision);
        if (audit.IsSigned || audit.SignedBy.Contains(command.Caller.UserId)) return Decision.Repeat(CaseAuditView.Of(audit));
        if (audit.Revision == 0)
            return Rejection.Conflict("Nothing has been written in this audit yet: write it before signing.",
                "Er is nog niets geschreven in deze audit: schrijf hem voordat u ondertekent.");
        var signed = new CaseAuditSigned(command.AuditId, command.Caller.UserId, audit.Revision, now);
        return Decision.Accept(CaseAuditView.Of(WriteCaseAudit.Applied(plan, command.AuditId, signed)), signed);
    }

    /// <summary>
    /// POST /api/plans/{planId}/case-audits/{auditId}/sign (its two participants), body none or <c>{ "revision": n }</c>:
    /// 200 with the audit (also when repeated); 400 (<c>revision</c> not a whole number from 1), 403, 404; 409 when nothing
    /// was written yet, or <c>revision</c> is not the current one.
    /// </summary>
    public static async Task<OkAnswer<CaseAuditView>> Post(Guid planId, Guid auditId, [FromBody] SignCaseAuditRequest? request, [AsParameters] Sender send) =>
        send.Ok(await (request ?? new SignCaseAuditRequest(null)).ToCommand(planId, auditId, send.Caller).Then(send.Decide));
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

    /// <summary>
    /// 409 for a save or a signature based on revision <paramref name="read"/> while the audit is at <paramref name="current"/>:
    /// the text changed since it was read; read it again (GET, or reload the page) and save or sign what you read.
    /// </summary>
    public static Rejection Stale(int read, int current) => Rejection.Conflict(
        $"The audit's text changed since you read it (you read revision {read}; it is now at revision {current}). Read the new text, then save or sign again.",
        $"De tekst van de audit is gewijzigd sinds u hem las (u las revisie {read}; hij staat nu op revisie {current}). Lees de nieuwe tekst en sla daarna opnieuw op of onderteken opnieuw.");

    public static readonly Rejection MayNotRead = Rejection.Forbidden(
        "Only the audit's professional and auditor, and the organisation's auditors, read a case audit.",
        "Alleen de professional en de auditor van de audit, en de auditors van de organisatie, lezen een casusaudit.");
}
