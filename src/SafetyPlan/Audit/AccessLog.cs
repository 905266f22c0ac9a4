using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SafetyPlan.Audit;

/// <summary>
/// One read (or attempted read) of case data by a person, as NEN 7513 asks: who (<see cref="UserId"/>, <see cref="Roles"/>),
/// on whose behalf (<see cref="OnBehalfOf"/>: the member whose own data it is), which organisation and plan, what
/// (<see cref="Action"/>: kind and route; <see cref="What"/>: the request itself), when (SafetyPlan's clock), from where
/// (<see cref="Origin"/>: the client's address) and the result (<c>allowed</c> or <c>refused</c>, with the HTTP status).
/// </summary>
public sealed class AccessLogEntry
{
    public Guid Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string UserId { get; set; } = "";
    public string Roles { get; set; } = "";
    /// <summary><c>member:&lt;memberId&gt;</c> when a member reads their own plan or a professional reads a member's own data; else absent.</summary>
    public string? OnBehalfOf { get; set; }
    public string Organisation { get; set; } = "";
    public Guid? PlanId { get; set; }
    /// <summary>
    /// <c>read|search|export|page|write</c>, a space, the method and the route's pattern:
    /// <c>read GET /api/plans/{planId}/history</c>, <c>page POST /plans/{planId}/case-audits/{auditId}</c>.
    /// </summary>
    public string Action { get; set; } = "";
    /// <summary>The request: method, path and query.</summary>
    public string What { get; set; } = "";
    public string Origin { get; set; } = "";
    /// <summary><c>allowed</c> or <c>refused</c>.</summary>
    public string Result { get; set; } = "";
    public int Status { get; set; }
}

/// <summary>
/// Marks an endpoint (API route or page) that shows case data: every request to it, whatever its method, is in the access
/// log (a page's POST re-renders the page; an API write marked <c>write</c> answers with case data).
/// </summary>
/// <param name="Kind"><c>read</c>, <c>search</c> (lists), <c>export</c>, <c>page</c> or <c>write</c> (an API write that answers with case data).</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class CaseDataReadAttribute(string kind = "read") : Attribute
{
    public string Kind { get; } = kind;
}

/// <summary>
/// Writes one <see cref="AccessLogEntry"/> per request (any method; never its body) to an endpoint marked
/// <see cref="CaseDataReadAttribute"/> by a signed-in person, after the answer, whether it was allowed or refused (by a role policy, by the plan, or as an unknown
/// plan). Runs between authentication and authorization, so refusals by a policy are seen too. Kept outside the plans'
/// streams (reading never changes a plan), in the reader's organisation.
/// </summary>
public sealed class AccessLogMiddleware(RequestDelegate next)
{
    internal const string RefusedItem = "SafetyPlan.AccessRefused";
    private const string PlanItem = "SafetyPlan.AccessPlan";

    /// <summary>For a page whose address names no plan (the member page): the plan this request showed.</summary>
    public static void ReadsPlan(HttpContext http, Guid planId) => http.Items[PlanItem] = planId;

    public async Task InvokeAsync(HttpContext http, IDocumentStore store, TimeProvider clock, ILoggerFactory loggers)
    {
        var read = http.GetEndpoint()?.Metadata.GetMetadata<CaseDataReadAttribute>();
        // Whatever the method: a page's POST that is refused re-renders the page with case data (a 409 save shows the
        // other participant's newer text), and an API write marked here answers with case data.
        if (read is null)
        {
            await next(http);
            return;
        }
        var threw = false;
        try { await next(http); }
        catch
        {
            threw = true; // the outer exception handler answers 500 after this: the read showed nothing
            throw;
        }
        finally
        {
            if (threw && !http.Response.HasStarted) http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            var refused = threw || http.Items.ContainsKey(RefusedItem) || http.Response.StatusCode >= 400;
            if (refused) SecurityEvents.Refused(loggers, http, http.Response.StatusCode);
            // A redirect that is no refusal (a member sent on from the dashboard to their page, a page's saved form sent
            // on to its page) showed nothing; the page it leads to is a read of its own.
            if (http.User.Identity?.IsAuthenticated == true && (refused || http.Response.StatusCode < 300))
                await Record(store, clock, http, read.Kind, refused);
        }
    }

    private static async Task Record(IDocumentStore store, TimeProvider clock, HttpContext http, string kind, bool refused)
    {
        var caller = http.Caller();
        var organisation = Organisations.Tenants.Of(caller);
        var planId = RouteGuid(http, "planId") ?? http.Items[PlanItem] as Guid?;
        var onBehalfOf = RouteGuid(http, "memberId") is { } memberId ? $"{Caller.MemberPrefix}{memberId}"
            : caller is { IsMember: true, IsProfessional: false } ? $"{Caller.MemberPrefix}{caller.MemberId}" : null;
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        await using var session = store.LightweightSession(organisation);
        session.Store(new AccessLogEntry
        {
            // Time-ordered (UUID v7): reads at the same instant of SafetyPlan's clock keep the order they were made in.
            Id = Guid.CreateVersion7(),
            At = clock.GetUtcNow(),
            UserId = caller.UserId,
            Roles = caller.RoleList,
            OnBehalfOf = onBehalfOf,
            Organisation = caller.Organisation,
            PlanId = planId,
            Action = $"{KindOf(kind, pattern, planId)} {http.Request.Method} /{pattern.Trim('/')}",
            What = $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}",
            Origin = http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            Result = refused ? "refused" : "allowed",
            Status = http.Response.StatusCode,
        });
        // Not the request's token: a client that hung up after reading still read.
        await session.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>An API read is an export when its route ends in /export, a search when it names no plan (the lists).</summary>
    private static string KindOf(string kind, string pattern, Guid? planId) =>
        kind != "read" ? kind : pattern.EndsWith("/export", StringComparison.Ordinal) ? "export" : planId is null ? "search" : "read";

    private static Guid? RouteGuid(HttpContext http, string name) =>
        http.GetRouteValue(name) is { } value && Guid.TryParse(value.ToString(), out var id) ? id : null;
}

/// <summary>
/// ASP.NET's authentication service, which also notes on the request that it was refused (a forbid or a challenge: by a
/// role policy, or a page's own <c>Forbid()</c>), so that the access log records a page refusal that answers with a redirect;
/// and sends every sign-in into the cookie (pages, personal links, OIDC's page flow) to the security channel.
/// </summary>
public sealed class RecordingAuthenticationService(
    IAuthenticationSchemeProvider schemes, IAuthenticationHandlerProvider handlers, IClaimsTransformation transform,
    IOptions<AuthenticationOptions> options) : AuthenticationService(schemes, handlers, transform, options)
{
    public override Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties)
    {
        context.Items[AccessLogMiddleware.RefusedItem] = true;
        return base.ChallengeAsync(context, scheme, properties);
    }

    public override async Task SignInAsync(HttpContext context, string? scheme, System.Security.Claims.ClaimsPrincipal principal, AuthenticationProperties? properties)
    {
        await base.SignInAsync(context, scheme, principal, properties);
        SecurityEvents.SignedIn(context.RequestServices.GetRequiredService<ILoggerFactory>(), context, principal);
    }

    public override Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties)
    {
        context.Items[AccessLogMiddleware.RefusedItem] = true;
        return base.ForbidAsync(context, scheme, properties);
    }
}

/// <summary>The access log for auditors: per plan, and organisation-wide with filters, paging and an export.</summary>
public static class AccessLogEndpoints
{
    /// <summary>
    /// <c>GET /api/access-log?from=&amp;to=&amp;planId=&amp;userId=&amp;result=allowed|refused&amp;skip=&amp;take=&amp;format=json|jsonl|csv</c>
    /// (auditors of the organisation; api-contract.md "Access log (NEN 7513)"): the organisation's entries, newest first.
    /// <c>json</c> (default) pages like the history (take 1..1000, <c>X-Total-Count</c>, <c>Link rel=next</c>);
    /// <c>jsonl</c> (JSON lines) and <c>csv</c> export every matching entry at once. 400 for a bad filter.
    /// </summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/api/access-log", async (
                [Description("Entries at or after this instant (with an offset).")] string? from,
                [Description("Entries at or before this instant (with an offset).")] string? to,
                Guid? planId, string? userId,
                [Description("allowed or refused.")] string? result,
                int? skip, [Description("1..1000; absent: 1000.")] int? take,
                [Description("json (default, paged), jsonl or csv (every matching entry).")] string? format,
                HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var errors = new FieldErrors();
                if (skip is < 0 || take is < 1 or > Bounds.HistoryPage)
                    errors.Add("take", $"'skip' must be 0 or more and 'take' from 1 to {Bounds.HistoryPage}.", $"'skip' moet 0 of meer zijn en 'take' van 1 tot {Bounds.HistoryPage}.");
                if (result is not (null or "allowed" or "refused"))
                    errors.Add("result", "'result' is allowed or refused.", "'result' is allowed of refused.");
                if (format is not (null or "json" or "jsonl" or "csv"))
                    errors.Add("format", "'format' is json, jsonl or csv.", "'format' is json, jsonl of csv.");
                var (since, until) = (Bounds.Instant(errors, from, "from"), Bounds.Instant(errors, to, "to"));
                if (errors.ToRejection() is { } invalid) return invalid.ToProblem(caller.Language);

                IQueryable<AccessLogEntry> query = session.Query<AccessLogEntry>();
                if (since is { } s) query = query.Where(e => e.At >= s);
                if (until is { } u) query = query.Where(e => e.At <= u);
                if (planId is { } p) query = query.Where(e => e.PlanId == p);
                if (userId is not null) query = query.Where(e => e.UserId == userId);
                if (result is not null) query = query.Where(e => e.Result == result);
                query = query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);

                if (format is "jsonl" or "csv")
                {
                    var all = await query.ToListAsync(ct);
                    return format == "csv"
                        ? Results.Text(Csv(all), "text/csv; charset=utf-8")
                        : Results.Text(string.Concat(all.Select(e => JsonSerializer.Serialize(Line.Of(e), http.JsonOptions()) + "\n")), "application/jsonl; charset=utf-8");
                }
                var (first, size) = (skip ?? 0, take ?? Bounds.HistoryPage);
                var total = await query.CountAsync(ct);
                http.DescribePage(first, size, total);
                return Results.Ok((await query.Skip(first).Take(size).ToListAsync(ct)).Select(Line.Of).ToList());
            })
            .RequireAuthorization(Policies.Auditor)
            .WithMetadata(new CaseDataReadAttribute("search"))
            .WithTags("Audit")
            .WithSummary("The organisation's access log, newest first: who read which plan, when, from where, allowed or refused; filter by period, plan, user and result; paged like the history, or exported as JSON lines or CSV (auditors).")
            .Produces<IReadOnlyList<Line>>();
    }

    /// <summary>The per-plan log (older than the organisation-wide one; kept for its callers): the plan's entries, oldest first.</summary>
    public static void MapPlanLog(RouteGroupBuilder plans) => plans.MapGet("{planId:guid}/access-log", async (
            Guid planId, IQuerySession session, CancellationToken ct) =>
            Results.Ok(await session.Query<AccessLogEntry>().Where(e => e.PlanId == planId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct)))
        .RequireAuthorization(Policies.Auditor)
        .WithMetadata(new CaseDataReadAttribute())
        .AddEndpointFilter<PlanReadAccess>()
        .WithSummary("Who read this plan's data, when, and what (auditors).")
        .Produces<IReadOnlyList<AccessLogEntry>>();

    /// <summary>One entry as the contract writes it.</summary>
    public sealed record Line(DateTimeOffset At, string UserId, string? OnBehalfOf, string Organisation, Guid? PlanId,
        string Action, string What, string Origin, string Result, int Status)
    {
        public static Line Of(AccessLogEntry e) => new(e.At, e.UserId, e.OnBehalfOf, e.Organisation, e.PlanId, e.Action, e.What, e.Origin, e.Result, e.Status);
    }

    private static string Csv(IEnumerable<AccessLogEntry> entries)
    {
        var csv = new StringBuilder("at,userId,onBehalfOf,organisation,planId,action,what,origin,result,status\n");
        foreach (var e in entries)
            csv.AppendJoin(',', new[] { e.At.ToString("O", CultureInfo.InvariantCulture), e.UserId, e.OnBehalfOf ?? "", e.Organisation,
                e.PlanId?.ToString() ?? "", e.Action, e.What, e.Origin, e.Result, e.Status.ToString(CultureInfo.InvariantCulture) }.Select(Field)).Append('\n');
        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so that a spreadsheet never runs it as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }


    private static JsonSerializerOptions JsonOptions(this HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}
