using SafetyPlan.Escalations;

namespace SafetyPlan.Pages;

/// <summary>
/// The monitoring professional's overview: their plans red first, open escalations to acknowledge and resolve,
/// evaluations coming due. Auditors see every plan, to open its timeline.
/// </summary>
[Authorize]
[Audit.CaseDataRead("page")]
public sealed class DashboardModel(IQuerySession session, IMessageBus bus) : AppPage
{
    public static readonly int EvaluationHorizonDays = 14;

    public List<PlanSummary> Plans { get; private set; } = [];
    public IReadOnlyList<EscalationView> Escalations { get; private set; } = [];
    /// <summary>Each open escalation's bottom-line rule, in the page's language.</summary>
    public Dictionary<Guid, string> Rules { get; private set; } = [];
    public List<PlanSummary> EvaluationsDue { get; private set; } = [];
    /// <summary>Plans with a referral whose first conference session was not held yet, the earliest due first.</summary>
    public List<PlanSummary> WaitingForConference { get; private set; } = [];
    public string? Done { get; private set; }
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(DraftPlan.DefaultTimeZone);

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (!Caller.IsProfessional && !Caller.IsAuditor)
            return Caller.IsMember ? LocalRedirect("/member") : Forbid();
        Done = done is "acknowledged" or "resolved" ? done : null;
        await Load(ct);
        return Page();
    }

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid escalationId, string? note, CancellationToken ct) =>
        Respond(escalationId, resolve: false, note, ct);

    public Task<IActionResult> OnPostResolveAsync(Guid escalationId, string? note, CancellationToken ct) =>
        Respond(escalationId, resolve: true, note, ct);

    private Task<IActionResult> Respond(Guid escalationId, bool resolve, string? note, CancellationToken ct) =>
        RespondToEscalation(escalationId, resolve, note, session, bus, async () => { await Load(ct); return null; },
            done => $"/dashboard?done={done}", ct);

    private async Task Load(CancellationToken ct)
    {
        var now = Now;
        Plans = await PlanQueries.Summaries(session, Caller, now, null, null, ct);
        if (Caller.IsProfessional)
        {
            Escalations = (await EscalationInboxEndpoint.Inbox(session, Caller.UserId, null, ct)).Where(e => e.State != EscalationState.Resolved).ToList();
            // The stored reason is a record in English; people read the bottom line's rule in their own language.
            var plans = await session.LoadManyAsync<Plan>(ct, Escalations.Select(e => e.PlanId).Distinct());
            Rules = plans.SelectMany(p => p.BottomLines).ToDictionary(b => b.Id, b => b.Rule.Describe(Language));
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        EvaluationsDue = Plans.Where(p => p.State == PlanState.Active && p.NextEvaluationDue is { } due && due <= today.AddDays(EvaluationHorizonDays))
            .OrderBy(p => p.NextEvaluationDue).ToList();
        WaitingForConference = Plans.Where(p => p.ConferenceDue is not null).OrderBy(p => p.ConferenceDue).ToList();
    }

    public bool Overdue(DateOnly due) => due < DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, Zone).DateTime);
}
