using SafetyPlan.Audit;
using SafetyPlan.History;

namespace SafetyPlan.Pages.Plans;

/// <summary>
/// The auditor's view of a case: the plan's history with filters, the plan exactly as it stood at a chosen version or
/// moment, the tamper-evidence check, and the export links.
/// </summary>
[Authorize(Policy = Policies.Reader)]
[Audit.CaseDataRead("page")]
public sealed class TimelineModel(IQuerySession session, IDocumentStore store, TimeProvider clock) : AppPage
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public int? Version { get; set; }
    [BindProperty(SupportsGet = true)] public DateTime? AsOf { get; set; }

    public Guid PlanId { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public List<HistoryEntry> Entries { get; private set; } = [];
    public List<string> Types { get; private set; } = [];
    public int Versions { get; private set; }
    public PlanStatus? AsItStood { get; private set; }
    public int ShownVersion { get; private set; }
    public ChainVerification? Chain { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid planId, CancellationToken ct)
    {
        PlanId = planId;
        var (current, refusal) = await ReadablePlan(session, planId, ct);
        if (current is null) return refusal!;
        var events = await session.Events.FetchStreamAsync(planId, token: ct);
        Zone = current.Zone();
        Versions = events.Count;
        Types = events.Select(e => PlanHistory.TypeName(e.EventType)).Distinct().Order().ToList();

        var now = clock.GetUtcNow();
        // A moment in the plan's zone; a later one than now shows the plan as it stands now (the future is not replayed).
        DateTimeOffset? asOf = AsOf is { } local ? Agreements.Schedule.ToInstant(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone) : null;
        if (asOf > now) asOf = now;
        int? version = asOf is null && Version is { } v ? Math.Clamp(v, 1, Versions) : null;
        var found = await PlanQueries.Load(session, planId, asOf, version, now, ct);
        if (found is { } stood)
        {
            AsItStood = PlanStatusView.Status(stood.Plan, stood.Moment);
            ShownVersion = stood.Plan.Version;
        }

        var types = string.IsNullOrWhiteSpace(Type) ? null : new HashSet<string> { Type };
        DateTimeOffset? from = From is { } f ? Agreements.Schedule.ToInstant(f.ToDateTime(TimeOnly.MinValue), Zone) : null;
        DateTimeOffset? to = To is { } t ? Agreements.Schedule.ToInstant(t.PlusDays(1).ToDateTime(TimeOnly.MinValue), Zone).Minus(TimeSpan.FromTicks(1)) : null;
        Entries = PlanHistory.Entries(events, types, from, to, Caller);
        Chain = await VerifyChain.Verify(store, session.TenantId, planId, ct);
        return Page();
    }
}
