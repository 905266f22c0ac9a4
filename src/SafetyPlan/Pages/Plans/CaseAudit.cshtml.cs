using SafetyPlan.CaseAudits;

namespace SafetyPlan.Pages.Plans;

/// <summary>
/// A collaborative case audit (../shared/domain.md, "The practice around the plan"): its facts, the practice questions
/// scored 1-5 with a note, the reflection and learning points; saved and signed by its two participants through the same
/// commands as PUT /api/plans/{planId}/case-audits/{auditId} and POST .../sign. Read by its two participants and the
/// organisation's auditors only (<see cref="CaseAuditView.Read"/>, as the API); 403 for anyone else, 404 for no such audit.
/// Once both signed, the page is read-only. <c>?handler=print&amp;in=nl|en</c>: the printable audit (<see cref="CaseAuditPrint"/>).
/// </summary>
[Authorize(Policy = Policies.CaseAuditor)]
[SafetyPlan.Audit.CaseDataRead("page")]
public sealed class CaseAuditModel(IQuerySession session, IMessageBus bus) : AppPage
{
    public Guid PlanId { get; private set; }
    public SafetyPlan.Plans.CaseAudit Audit { get; private set; } = new();
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    /// <summary>
    /// A network member's name by id (null when no longer in the network), for a reader who may read the plan itself, as
    /// the plan page names them; null for a participant who may not (a team lead): the page then counts the members present.
    /// </summary>
    public Func<Guid, string?>? MemberName { get; private set; }
    /// <summary>"saved" or "signed" after a form was sent; else null.</summary>
    public string? Done { get; private set; }

    /// <summary>Whether the caller may change and sign the audit: one of its two participants while it is open.</summary>
    public bool MayWrite => Audit.IsParticipant(Caller.UserId) && !Caller.IsMember && !Audit.IsSigned;

    public async Task<IActionResult> OnGetAsync(Guid planId, Guid auditId, string? done, CancellationToken ct)
    {
        Done = done is "saved" or "signed" ? done : null;
        return await Load(planId, auditId, ct) ?? Page();
    }

    /// <summary>The printable audit as a whole HTML document in <paramref name="in"/> (nl or en; else the page's language).</summary>
    public async Task<IActionResult> OnGetPrintAsync(Guid planId, Guid auditId, string? @in, CancellationToken ct)
    {
        if (await Load(planId, auditId, ct) is { } refusal) return refusal;
        var language = @in is "nl" or "en" ? @in : Language;
        var title = System.Net.WebUtility.HtmlEncode(UiText.For(language).CaseAuditTitle);
        var html = $"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main>"
            + CaseAuditPrint.Section(CaseAuditView.Of(Audit), language, 1, MemberName, Zone) + "</main></body></html>";
        return Content(html, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Saves the whole text (PUT .../case-audits/{auditId}): <paramref name="scores"/> and <paramref name="notes"/> by
    /// practice question key; a question without a score is left unanswered (a note without a score is refused, 400).
    /// <paramref name="revision"/>: the revision the form showed (the form always sends it); when someone saved since, the
    /// save is refused (409) and the page shows why, with the newer text.
    /// </summary>
    // Named: a dictionary without a name falls back to binding every form field (revision, reflection) as a question.
    public async Task<IActionResult> OnPostSaveAsync(Guid planId, Guid auditId,
        [FromForm(Name = "scores")] Dictionary<string, int?>? scores, [FromForm(Name = "notes")] Dictionary<string, string?>? notes,
        string? reflection, string? learningPoints, int? revision, CancellationToken ct)
    {
        var answers = new Dictionary<string, CaseAuditAnswerRequest?>();
        foreach (var key in (scores ?? []).Keys.Union((notes ?? []).Keys))
        {
            var (score, note) = (scores?.GetValueOrDefault(key), notes?.GetValueOrDefault(key));
            if (score is not null || !string.IsNullOrWhiteSpace(note)) answers[key] = new CaseAuditAnswerRequest(score, note);
        }
        var decision = await new WriteCaseAuditRequest(answers, reflection, learningPoints, revision).ToCommand(planId, auditId, Caller)
            .Then(command => bus.Decide(command, ct));
        if (decision.Rejection is not null)
            Draft = new WriteDraft(
                PracticeQuestions.All.Select(q => q.Key).ToDictionary(key => key, key => (scores?.GetValueOrDefault(key), notes?.GetValueOrDefault(key))),
                reflection, learningPoints, revision);
        return await Answer(planId, auditId, decision.Rejection, "saved", ct);
    }

    /// <summary>What a writer sent in a save that was refused: shown again in the form, so that nothing typed is lost.</summary>
    public sealed record WriteDraft(
        IReadOnlyDictionary<string, (int? Score, string? Note)> Answers, string? Reflection, string? LearningPoints, int? Revision);

    /// <summary>The refused save's text, when the last save was refused; else null (the form shows the saved text).</summary>
    public WriteDraft? Draft { get; private set; }

    /// <summary>Whether the refused save started from an older revision: the other participant's newer text is shown beside the draft.</summary>
    public bool SavedMeanwhile => Draft?.Revision is { } read && read != Audit.Revision;

    /// <summary>The score the form shows for <paramref name="key"/>: the refused draft's, else the saved one.</summary>
    public int? ScoreShown(string key) => Draft is { } draft ? draft.Answers.GetValueOrDefault(key).Score : AnswerTo(key)?.Score;

    /// <summary>The note the form shows for <paramref name="key"/>: the refused draft's, else the saved one.</summary>
    public string? NoteShown(string key) => Draft is { } draft ? draft.Answers.GetValueOrDefault(key).Note : AnswerTo(key)?.Note;

    /// <summary>
    /// Signs the revision the page showed (POST .../case-audits/{auditId}/sign with <c>{ revision }</c>): when the other
    /// participant saved since, refused (409) and the page shows why, with the newer text to read before signing.
    /// </summary>
    public async Task<IActionResult> OnPostSignAsync(Guid planId, Guid auditId, int? revision, CancellationToken ct)
    {
        var decision = await new SignCaseAuditRequest(revision).ToCommand(planId, auditId, Caller).Then(command => bus.Decide(command, ct));
        return await Answer(planId, auditId, decision.Rejection, "signed", ct);
    }

    public CaseAuditAnswer? AnswerTo(string key) => Audit.Answers.FirstOrDefault(a => a.Question == key);

    /// <summary>Done: back to the page (a new request, so a reload sends nothing again); refused: the page with the reason.</summary>
    private async Task<IActionResult> Answer(Guid planId, Guid auditId, Rejection? rejection, string done, CancellationToken ct)
    {
        if (rejection is null) return LocalRedirect($"/plans/{planId}/case-audits/{auditId}?done={done}");
        return await Load(planId, auditId, ct) ?? Refused(rejection);
    }

    /// <summary>Loads the audit when this caller may read it; else 404 or 403 (the access-denied page), as the API.</summary>
    private async Task<IActionResult?> Load(Guid planId, Guid auditId, CancellationToken ct)
    {
        var (audit, refused) = await CaseAuditView.Read(session, planId, auditId, Caller, ct);
        if (refused is not null) return refused.Kind == RejectionKind.Forbidden ? Forbid() : (IActionResult)NotFound();
        (PlanId, Audit) = (planId, audit!);
        var plan = (await session.LoadAsync<SafetyPlan.Plans.Plan>(planId, ct))!;
        Zone = plan.Zone();
        // The audit's readers need not read the plan (a team lead): its members' names are the plan's, not the audit's.
        MemberName = await Caller.MayRead(plan, session, ct) is null ? id => plan.Members.FirstOrDefault(m => m.Id == id)?.Name : null;
        return null;
    }
}
