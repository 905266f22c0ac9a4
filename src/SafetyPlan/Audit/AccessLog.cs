namespace SafetyPlan.Audit;

/// <summary>One read of case data by a person: who, when, what.</summary>
public sealed class AccessLogEntry
{
    public Guid Id { get; set; }
    public Guid? PlanId { get; set; }
    public string UserId { get; set; } = "";
    public string Roles { get; set; } = "";
    public string What { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// Records every successful read of case data in the access log (kept outside the plans' streams, so that reading
/// never changes a plan's version). Visible to auditors at <c>GET /api/plans/{planId}/access-log</c>.
/// </summary>
public sealed class RecordAccess(IDocumentStore store, TimeProvider clock) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (result is IStatusCodeHttpResult { StatusCode: >= 300 }) return result;

        await Record(store, clock, http,
            http.Request.RouteValues.TryGetValue("planId", out var id) && Guid.TryParse(id?.ToString(), out var planId) ? planId : null);
        return result;
    }

    /// <summary>Records this request's read of case data (API reads through the filter, pages directly).</summary>
    public static async Task Record(IDocumentStore store, TimeProvider clock, HttpContext http, Guid? planId)
    {
        var caller = http.Caller();
        await using var session = store.LightweightSession(Organisations.Tenants.Of(caller));
        session.Store(new AccessLogEntry
        {
            Id = Guid.NewGuid(),
            PlanId = planId,
            UserId = caller.UserId,
            Roles = caller.RoleList,
            What = $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}",
            At = clock.GetUtcNow(),
        });
        await session.SaveChangesAsync(http.RequestAborted);
    }

    public static void MapLog(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/access-log", async (
            Guid planId, IQuerySession session, CancellationToken ct) =>
            Results.Ok(await session.Query<AccessLogEntry>().Where(e => e.PlanId == planId).OrderBy(e => e.At).ToListAsync(ct)))
        .RequireAuthorization(Policies.Auditor)
        .AddEndpointFilter<RecordAccess>()
        .AddEndpointFilter<PlanReadAccess>()
        .WithSummary("Who read this plan's data, when, and what (auditors).")
        .Produces<IReadOnlyList<AccessLogEntry>>();
}
