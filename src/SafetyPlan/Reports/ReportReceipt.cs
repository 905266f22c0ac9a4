using JasperFx.Events;
using Marten.Events.Projections;

namespace SafetyPlan.Reports;

/// <summary>
/// The first result of one report, kept by the client's idempotency key: one document per organisation (tenant), plan,
/// reporting member and clientId (api-contract.md, "Reports": a clientId is unique per reporting member on a plan, so
/// another member's report with the same clientId is a report of its own). It lives beside the plan rather than in it, so the plan document (rewritten on every append) does not
/// grow with every report. Only ids and the kind: nothing personal.
/// </summary>
public sealed class ReportReceipt
{
    /// <summary><see cref="Key"/>: the plan, the member and the clientId; the organisation is the document's tenant.</summary>
    public string Id { get; set; } = "";
    public Guid PlanId { get; set; }
    /// <summary>The member the report is from (also when a professional recorded it for them).</summary>
    public Guid MemberId { get; set; }
    public string ClientId { get; set; } = "";
    public ReportKind Kind { get; set; }
    public Guid ReportId { get; set; }
    public Guid? AgreementId { get; set; }
    public DateTimeOffset? Occurrence { get; set; }
    public bool? Late { get; set; }

    /// <summary>"{planId:N}/{memberId:N}/{clientId}".</summary>
    public static string Key(Guid planId, Guid memberId, string clientId) => $"{planId:N}/{memberId:N}/{clientId}";

    public Receipt ToReceipt() => new(Kind, ReportId, AgreementId, Occurrence, Late);

    public static ReportReceipt For(Guid planId, Guid memberId, string clientId, Receipt receipt) => new()
    {
        Id = Key(planId, memberId, clientId), PlanId = planId, MemberId = memberId, ClientId = clientId, Kind = receipt.Kind,
        ReportId = receipt.Id, AgreementId = receipt.AgreementId, Occurrence = receipt.Occurrence, Late = receipt.Late,
    };

    public static Task<ReportReceipt?> Find(IQuerySession session, Guid planId, Guid memberId, string clientId, CancellationToken ct) =>
        session.LoadAsync<ReportReceipt>(Key(planId, memberId, clientId), ct);
}

/// <summary>
/// Receipts derived from the report events, inline: written in the transaction that appends the report, and recreated by
/// a rebuild. Inserted, never upserted: a second report with the same clientId on the same plan violates the primary key
/// and rolls the whole append back, also when two nodes race (<see cref="Reporting.Decide"/> then answers it as a repeat).
/// </summary>
public sealed partial class ReportReceiptProjection : EventProjection
{
    public ReportReceiptProjection() => Options.DeleteViewTypeOnTeardown<ReportReceipt>(); // a rebuild inserts them all again

    public void Project(IEvent<CheckInLogged> e, IDocumentOperations ops) => ops.Insert(ReportReceipt.For(e.StreamId, e.Data.MemberId,
        e.Data.ClientId, new Receipt(ReportKind.CheckIn, e.Data.CheckInId, e.Data.AgreementId, e.Data.Occurrence, e.Data.Late)));

    public void Project(IEvent<ConcernRaised> e, IDocumentOperations ops) => ops.Insert(ReportReceipt.For(e.StreamId, e.Data.MemberId,
        e.Data.ClientId, new Receipt(ReportKind.Concern, e.Data.ConcernId, null, null)));

    public void Project(IEvent<SafetyRated> e, IDocumentOperations ops) => ops.Insert(ReportReceipt.For(e.StreamId, e.Data.MemberId,
        e.Data.ClientId, new Receipt(ReportKind.Rating, e.Data.RatingId, null, null)));
}
