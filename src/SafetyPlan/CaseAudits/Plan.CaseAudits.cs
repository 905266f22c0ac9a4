namespace SafetyPlan.Plans;

// The plan's case audits: opened, written and signed (CaseAudits/).
public sealed partial class Plan
{
    public List<CaseAudit> CaseAudits { get; set; } = [];

    /// <summary>The audit with this id, or null.</summary>
    public CaseAudit? FindCaseAudit(Guid auditId) => CaseAudits.FirstOrDefault(a => a.Id == auditId);

    private void When(CaseAuditOpened e) => CaseAudits.Add(new CaseAudit
    {
        Id = e.AuditId, ProfessionalId = e.ProfessionalId, AuditorId = e.AuditorId, Facts = e.Facts, AsOfVersion = e.AsOfVersion, OpenedAt = e.At,
    });

    private void When(CaseAuditWritten e)
    {
        var audit = CaseAudits.First(a => a.Id == e.AuditId);
        (audit.Answers, audit.Reflection, audit.LearningPoints, audit.Revision) = (e.Answers.ToList(), e.Reflection, e.LearningPoints, e.Revision);
    }

    private void When(CaseAuditSigned e)
    {
        var audit = CaseAudits.First(a => a.Id == e.AuditId);
        audit.Signatures.RemoveAll(s => s.By == e.By);
        audit.Signatures.Add(new CaseAuditSignature(e.By, e.Revision, e.At));
        if (audit.IsSigned) audit.SignedAt = e.At;
    }

    private void CopyCaseAuditsTo(Plan copy) => copy.CaseAudits = CaseAudits.Select(a => a.Copy()).ToList();
}

/// <summary>A signature: who signed which revision of the audit's text, when.</summary>
public sealed record CaseAuditSignature(string By, int Revision, DateTimeOffset At);

/// <summary>
/// A collaborative case audit of the plan (<see cref="CaseAuditOpened"/>): read only by its two participants and the
/// organisation's auditors (CaseAudits/CaseAuditAccess). Signed once both participants signed its current revision.
/// </summary>
public sealed class CaseAudit
{
    public Guid Id { get; set; }
    public string ProfessionalId { get; set; } = "";
    public string AuditorId { get; set; } = "";
    public CaseAuditFacts Facts { get; set; } = new(0, null, null, 0, 0, 0);
    public long AsOfVersion { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public List<CaseAuditAnswer> Answers { get; set; } = [];
    public string Reflection { get; set; } = "";
    public string LearningPoints { get; set; } = "";
    /// <summary>0 until first written; each <see cref="CaseAuditWritten"/> is the next.</summary>
    public int Revision { get; set; }
    public List<CaseAuditSignature> Signatures { get; set; } = [];
    public DateTimeOffset? SignedAt { get; set; }

    /// <summary>Who signed the current revision (a signature of an earlier revision was voided by the change after it).</summary>
    public IReadOnlyList<string> SignedBy => Signatures.Where(s => s.Revision == Revision).Select(s => s.By).ToList();

    /// <summary>Both participants signed the current revision: the audit is closed and unchangeable.</summary>
    public bool IsSigned => SignedBy.Contains(ProfessionalId) && SignedBy.Contains(AuditorId);

    public bool IsParticipant(string userId) => userId == ProfessionalId || userId == AuditorId;

    public CaseAudit Copy()
    {
        var copy = (CaseAudit)MemberwiseClone();
        copy.Answers = [.. Answers];
        copy.Signatures = [.. Signatures];
        return copy;
    }
}
