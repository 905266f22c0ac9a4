namespace SafetyPlan.CaseAudits;

public enum CaseAuditState { Open, Signed }

/// <summary>An answer as read: the score (1-5) and the note.</summary>
public sealed record CaseAuditAnswerView(int Score, string? Note);

/// <summary>
/// A case audit as GET /api/plans/{planId}/case-audits/{auditId} answers it (../shared/api-contract.md, "The practice
/// around the plan"): <c>answers</c> by question key, <c>signedBy</c> the user ids that signed the current
/// <c>revision</c>, <c>state</c> open or signed; <c>asOfVersion</c> the plan version the facts are of.
/// </summary>
public sealed record CaseAuditView(
    Guid Id, string ProfessionalId, string AuditorId, CaseAuditFacts Facts, IReadOnlyDictionary<string, CaseAuditAnswerView> Answers,
    string Reflection, string LearningPoints, IReadOnlyList<string> SignedBy, CaseAuditState State, int Revision, long AsOfVersion,
    DateTimeOffset OpenedAt, DateTimeOffset? SignedAt)
{
    public static CaseAuditView Of(CaseAudit audit) => new(
        audit.Id, audit.ProfessionalId, audit.AuditorId, audit.Facts,
        audit.Answers.ToDictionary(a => a.Question, a => new CaseAuditAnswerView(a.Score, a.Note)),
        audit.Reflection, audit.LearningPoints, audit.SignedBy, audit.IsSigned ? CaseAuditState.Signed : CaseAuditState.Open,
        audit.Revision, audit.AsOfVersion, audit.OpenedAt, audit.SignedAt);

    /// <summary>
    /// GET /api/plans/{planId}/case-audits/{auditId}: 200 for its two participants and the organisation's auditors;
    /// 403 for anyone else (also the plan's other professionals and its members); 404 for no such plan or audit.
    /// </summary>
    public static async Task<IResult> Get(Guid planId, Guid auditId, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var caller = http.Caller();
        var (audit, refused) = await Read(session, planId, auditId, caller, ct);
        return refused is not null ? refused.ToProblem(caller.Language) : Results.Ok(Of(audit!));
    }

    /// <summary>The audit if <paramref name="caller"/> may read it (the API and the pages); else the rejection (404, 403).</summary>
    public static async Task<(CaseAudit? Audit, Rejection? Refused)> Read(IQuerySession session, Guid planId, Guid auditId, Caller caller, CancellationToken ct)
    {
        var plan = await session.LoadAsync<Plan>(planId, ct);
        if (plan is null) return (null, Rejection.PlanNotFound(planId));
        if (plan.FindCaseAudit(auditId) is not { } audit) return (null, CaseAuditGuards.NotFound(auditId));
        return CaseAuditGuards.MayRead(audit, caller) ? (audit, null) : (null, CaseAuditGuards.MayNotRead);
    }
}
