namespace SafetyPlan.PersonalLinks;

/// <param name="ValidFor">ISO 8601, PT1M..P90D; absent (or no body): P30D</param>
public sealed record IssuePersonalLinkRequest(string? ValidFor)
{
    /// <summary>The one place this request (which may be absent) becomes its command: a new link id, the validity parsed; or 400.</summary>
    /// <param name="baseUrl">where the link points: App:BaseUrl (<see cref="Hosting.AppAddress"/>), never the request's Host, without a trailing slash</param>
    public static Decision<IssuePersonalLink> ToCommand(IssuePersonalLinkRequest? request, Guid planId, Guid memberId, string baseUrl, Caller caller)
    {
        var validFor = IssuePersonalLink.DefaultValidity;
        if (request?.ValidFor is not null && (!ContractValues.TryParseDuration(request.ValidFor, out validFor)
                                              || validFor < TimeSpan.FromMinutes(1) || validFor > IssuePersonalLink.MaxValidity))
            return Rejection.Invalid("validFor", "'validFor' must be an ISO 8601 duration from PT1M to P90D, for example P30D.",
                "'validFor' moet een ISO 8601-duur van PT1M tot P90D zijn, bijvoorbeeld P30D.");
        return Decision.Accept(new IssuePersonalLink(planId, memberId, Guid.NewGuid(), validFor, baseUrl, caller));
    }
}

/// <summary>The answer to issuing: the token appears only in <paramref name="Url"/>, and only this once.</summary>
public sealed record IssuedLink(Guid Id, string Url, DateTimeOffset ExpiresAt);

public sealed record IssuePersonalLink(Guid PlanId, Guid MemberId, Guid LinkId, TimeSpan ValidFor, string BaseUrl, Caller Caller)
{
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(90);

    public static Decision<LinkClaims> Decide(Plan? plan, IssuePersonalLink command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        if (plan!.ActiveMember(command.MemberId) is null) return PlanGuards.MemberNotFound(command.MemberId);
        var expiresAt = now + command.ValidFor;
        return Decision.Accept(
            new LinkClaims(command.LinkId, command.PlanId, command.MemberId, command.Caller.Organisation, expiresAt),
            new PersonalLinkIssued(command.LinkId, command.MemberId, command.Caller.UserId, expiresAt, now));
    }
}

public static class IssuePersonalLinkHandler
{
    public static async Task<Decision<IssuedLink>> Handle(IssuePersonalLink command, PlanStreams plans, LinkTokens tokens, CancellationToken ct)
    {
        var decision = await plans.Decide(command.PlanId, command.Caller, command.GetType().Name,
            (plan, now) => IssuePersonalLink.Decide(plan, command, now), ct);
        if (decision.Rejection is { } rejection) return rejection;
        var claims = decision.Result!;
        return Decision.Accept(new IssuedLink(claims.LinkId, $"{command.BaseUrl}/l/{tokens.Sign(claims)}", claims.ExpiresAt));
    }
}

/// <summary>A personal link as professionals and auditors see it: never the token.</summary>
public sealed record PersonalLinkView(
    Guid Id, Guid MemberId, string IssuedBy, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string State,
    DateTimeOffset? RevokedAt, string? RevocationReason, DateTimeOffset? LastUsedAt, int Uses);

public static class PersonalLinkEndpoints
{
    public static void Map(RouteGroupBuilder plans)
    {
        plans.MapPost("{planId:guid}/members/{memberId:guid}/links", Issue)
            .RequireAuthorization(Policies.Professional)
            .WithSummary("Issue a personal link that signs one network member in to this plan (professionals). The token is only in the answer's url.");

        plans.MapGet("{planId:guid}/members/{memberId:guid}/links", async (
                Guid planId, Guid memberId, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var plan = await session.LoadAsync<Plan>(planId, ct);
                if (plan is null) return Rejection.PlanNotFound(planId).ToProblem(caller.Language);
                if (plan.Members.All(m => m.Id != memberId)) return PlanGuards.MemberNotFound(memberId).ToProblem(caller.Language);
                var now = clock.GetUtcNow();
                return Results.Ok(plan.Links.Where(l => l.MemberId == memberId).OrderBy(l => l.IssuedAt).Select(l => new PersonalLinkView(
                    l.Id, l.MemberId, l.IssuedBy, l.IssuedAt, l.ExpiresAt, State(l, now), l.RevokedAt, l.RevocationReason, l.LastUsedAt, l.Uses)).ToList());
            })
            .RequireAuthorization(Policies.Reader)
            // A read of case data like the others: only plans the caller may read, and in the access log.
            .WithMetadata(new Audit.CaseDataReadAttribute())
            .AddEndpointFilter<Auth.PlanReadAccess>()
            .WithSummary("A member's personal links, without their tokens (professionals and auditors).")
            .Produces<IReadOnlyList<PersonalLinkView>>();

        plans.MapDelete("{planId:guid}/members/{memberId:guid}/links/{linkId:guid}", RevokePersonalLink.Delete)
            .RequireAuthorization(Policies.Professional)
            .WithSummary("Revoke a member's personal link, with a reason; it stops working at once (professionals).");
    }

    /// <summary>POST /api/plans/{planId}/members/{memberId}/links: 201 with the link (its token only in the url), or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<IssuedLink>> Issue(Guid planId, Guid memberId, [FromBody] IssuePersonalLinkRequest? request,
        HttpContext http, Hosting.AppAddress address, IMessageBus bus, CancellationToken ct)
    {
        var caller = http.Caller();
        var baseUrl = address.BaseUrl;
        return (await IssuePersonalLinkRequest.ToCommand(request, planId, memberId, baseUrl, caller)
                .Then(command => bus.InvokeAsync<Decision<IssuedLink>>(command, ct)))
            .Created(caller, issued => $"/api/plans/{planId}/members/{memberId}/links/{issued.Id}");
    }

    private static string State(PersonalLink link, DateTimeOffset now) =>
        link.RevokedAt is not null ? "revoked" : link.ExpiresAt <= now ? "expired" : "active";
}
