using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SafetyPlan.Notifications;

/// <summary>
/// One browser's Web Push subscription (RFC 8030 push resource, RFC 8291 keys) for one person, in the person's
/// organisation's tenant. Its id is derived from the owner and the endpoint, so posting the same subscription again
/// stores the same document. The endpoint is a capability URL of the push service: read only here and by
/// <see cref="PushSender"/>; events, logs and the inbox never name it.
/// </summary>
public sealed class PushSubscriptionDocument
{
    /// <summary><c>{owner}|{sha256(endpoint) in hex}</c>.</summary>
    public string Id { get; set; } = "";
    /// <summary>The person (<see cref="PushOwner"/>): <c>user/{userId}</c>, or <c>member/{planId}/{memberId}</c>.</summary>
    public string Owner { get; set; } = "";
    public string Endpoint { get; set; } = "";
    /// <summary>The browser's P-256 public key, base64url of 65 bytes (uncompressed point).</summary>
    public string P256dh { get; set; } = "";
    /// <summary>The shared authentication secret, base64url of 16 bytes.</summary>
    public string Auth { get; set; } = "";
    /// <summary><c>nl</c> or <c>en</c>: the language of the request that subscribed; used only when the recipient's own is unknown.</summary>
    public string Language { get; set; } = "nl";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A push subscription the push service said is gone (404 or 410, RFC 8030 §7.3): the subscription is deleted and this
/// record kept, id = the subscription's id. It is what "reachability" reads to tell "this person's push channel failed
/// permanently" (a person with such records and no <see cref="PushSubscriptionDocument"/> left) from "never subscribed".
/// Holds no endpoint: only whose it was, when, and the push service's status.
/// </summary>
public sealed class PushSubscriptionGone
{
    public string Id { get; set; } = "";
    public string Owner { get; set; } = "";
    /// <summary>The push service's answer: <c>http-404</c> or <c>http-410</c>.</summary>
    public string Failure { get; set; } = "";
    public DateTimeOffset GoneAt { get; set; }
}

/// <summary>Whose push subscriptions these are: a person's name in <see cref="PushSubscriptionDocument.Owner"/>.</summary>
public static class PushOwner
{
    public static string User(string userId) => $"user/{userId}";
    public static string Member(Guid planId, Guid memberId) => $"member/{planId:D}/{memberId:D}";

    /// <summary>The prefix of every member owner name of one plan, <c>member/{planId}/</c>.</summary>
    public static string MembersOf(Guid planId) => $"member/{planId:D}/";

    /// <summary>The recipient of a delivery on its plan.</summary>
    public static string Of(Plan plan, Delivery delivery) =>
        delivery.RecipientUserId is { } userId ? User(userId) : Member(plan.Id, delivery.RecipientMemberId!.Value);

    public static string SubscriptionId(string owner, string endpoint) => $"{owner}|{EndpointHash(endpoint)}";

    /// <summary>The endpoint's hash in a <see cref="SubscriptionId"/>: how the plan's events name the subscription.</summary>
    public static string HashOf(string subscriptionId) => subscriptionId[(subscriptionId.LastIndexOf('|') + 1)..];

    /// <summary>The SHA-256 of a push endpoint in lower-case hex: how the plan's events name a member's subscription.</summary>
    public static string EndpointHash(string endpoint) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)));

    /// <summary>The (plan, member) of a member's owner name, <c>member/{planId}/{memberId}</c>; null for a user's.</summary>
    public static (Guid PlanId, Guid MemberId)? MemberOf(string owner)
    {
        var parts = owner.Split('/');
        return parts is ["member", var plan, var member] && Guid.TryParse(plan, out var planId) && Guid.TryParse(member, out var memberId)
            ? (planId, memberId) : null;
    }
}

/// <summary>
/// What a member's push subscriptions mean for their plan: each one begun and ended is an event in the plan's stream,
/// so that reachability (<see cref="Plans.Reachability"/>) is a fact of the plan's history, replayed as it was known.
/// Idempotent: a subscription the plan already has (or no longer has) appends nothing.
/// </summary>
public static class MemberPush
{
    /// <summary>Nothing for a member not (or no longer) in the network, or a closed plan: there is no one to reach there.</summary>
    public static Decision<int> Subscribed(Plan? plan, Guid memberId, string subscription, DateTimeOffset now) =>
        plan?.State is null or PlanState.Closed || plan.ActiveMember(memberId) is not { } member || member.PushSubscriptions.Contains(subscription)
            ? Decision.Repeat(0)
            : Decision.Accept(1, new MemberPushSubscribed(memberId, subscription, now));

    /// <param name="failure">with <see cref="PushEndReason.Gone"/>: the push service's answer (<c>http-410</c>)</param>
    public static Decision<int> Ended(Plan? plan, Guid memberId, string subscription, PushEndReason reason, string? failure, DateTimeOffset now) =>
        plan?.ActiveMember(memberId) is not { } member || !member.PushSubscriptions.Contains(subscription)
            ? Decision.Repeat(0)
            : Decision.Accept(1, new MemberPushEnded(memberId, subscription, reason, failure, now));
}

/// <summary>A browser's <c>PushSubscription.toJSON()</c>: <c>{ endpoint, keys: { p256dh, auth } }</c>.</summary>
/// <param name="Endpoint">the push resource: an absolute <c>https://</c> URL (<c>http://</c> only to a loopback address), at most 2000 characters</param>
public sealed record PushSubscriptionRequest([property: MaxLength(PushSubscriptionEndpoints.EndpointLength)] string? Endpoint, PushKeys? Keys)
{
    /// <summary>The subscription, or a 400 naming each wrong field.</summary>
    public Rejection? Validate()
    {
        var errors = new FieldErrors().RequiredId("endpoint", Endpoint, PushSubscriptionEndpoints.EndpointLength);
        if (Endpoint is { } endpoint && !PushSubscriptionEndpoints.IsAllowedEndpoint(endpoint))
            errors.Add("endpoint", "'endpoint' must be an absolute https:// address on the public internet (http:// only to a loopback address).",
                "'endpoint' moet een absoluut https://-adres op het openbare internet zijn (http:// alleen naar een loopback-adres).");
        if (PushSubscriptionEndpoints.Base64UrlBytes(Keys?.P256dh) is not { Length: 65 } point || !PushSubscriptionEndpoints.IsP256Point(point))
            errors.Add("keys.p256dh", "'p256dh' must be base64url of an uncompressed P-256 public key (65 bytes, starting with 0x04, on the curve).",
                "'p256dh' moet base64url zijn van een ongecomprimeerde P-256-sleutel (65 bytes, beginnend met 0x04, op de curve).");
        if (PushSubscriptionEndpoints.Base64UrlBytes(Keys?.Auth) is not { Length: 16 })
            errors.Add("keys.auth", "'auth' must be base64url of 16 bytes.", "'auth' moet base64url zijn van 16 bytes.");
        return errors.ToRejection();
    }
}

/// <param name="P256dh">base64url of the browser's 65-byte uncompressed P-256 public key</param>
/// <param name="Auth">base64url of the 16-byte authentication secret</param>
public sealed record PushKeys([property: MaxLength(200)] string? P256dh, [property: MaxLength(200)] string? Auth);

/// <summary>Which subscription to remove: <c>{ endpoint }</c>.</summary>
public sealed record PushUnsubscribeRequest([property: MaxLength(PushSubscriptionEndpoints.EndpointLength)] string? Endpoint);

/// <summary>The application server's VAPID public key (RFC 8292 §3.2), for <c>pushManager.subscribe({ applicationServerKey })</c>.</summary>
/// <param name="PublicKey">base64url (no padding) of the 65-byte uncompressed P-256 point</param>
public sealed record PushKey(string PublicKey);

/// <summary>
/// <c>GET /api/push/key</c> (anyone), <c>POST</c> and <c>DELETE /api/me/push-subscriptions</c> (the signed-in person:
/// a network member of an open plan, or a professional). docs/scheduling-and-notifications.md, "Web Push".
/// </summary>
public static class PushSubscriptionEndpoints
{
    public const int EndpointLength = 2000;

    /// <summary>A person has at most this many subscriptions (browsers, phones); one more is refused with 409 until one is removed.</summary>
    public const int MaxPerPerson = 10;

    public static bool IsAllowedEndpoint(string url) => Web.OutboundAddresses.IsAllowedUrl(url);

    /// <summary>Whether 65 bytes are an uncompressed point on P-256 (0x04, X, Y): the only key RFC 8291 encrypts to.</summary>
    public static bool IsP256Point(byte[] point)
    {
        if (point.Length != 65 || point[0] != 0x04) return false;
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            return true;
        }
        catch (CryptographicException) { return false; }
    }

    /// <summary>The bytes of a base64url text (padding allowed), or null when it is none.</summary>
    public static byte[]? Base64UrlBytes(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '='))) return null;
        try { return WebEncoders.Base64UrlDecode(text.TrimEnd('=')); }
        catch (FormatException) { return null; }
    }

    /// <summary>
    /// The person signed in, as a subscription owner: a professional by user id, a member by (plan, member); null for
    /// anyone else. To subscribe, a member must be in the network of an open plan; to unsubscribe (<paramref name="leaving"/>),
    /// a member who was removed or whose plan was closed still names their own subscriptions.
    /// </summary>
    private static async Task<string?> Owner(Caller caller, IQuerySession session, CancellationToken ct, bool leaving = false)
    {
        if (caller.MemberId is { } memberId)
        {
            var plan = leaving
                ? await session.Query<Plan>().Where(p => p.Members.Any(m => m.Id == memberId)).FirstOrDefaultAsync(ct)
                : await PlanQueries.ForMember(session, memberId, ct) is { State: not PlanState.Closed } open ? open : null;
            return plan is null ? null : PushOwner.Member(plan.Id, memberId);
        }
        return caller.IsProfessional && caller.UserId.Length > 0 ? PushOwner.User(caller.UserId) : null;
    }

    /// <summary>
    /// In the transaction that appends <paramref name="events"/>: a member removed from the network (<see cref="MemberRemoved"/>)
    /// loses their push subscriptions on this plan, and a plan closed by its evaluation loses all its members'. Their
    /// phones are then no longer a way to reach anyone about this case (AVG data minimisation); the records of gone
    /// subscriptions stay until the retention pass, as part of the plan's personal data.
    /// </summary>
    public static void ForgetLeavers(IDocumentSession session, Guid planId, IReadOnlyList<object> events)
    {
        if (events.Any(e => e is EvaluationRecorded { Outcome: EvaluationOutcome.Close }))
        {
            var members = PushOwner.MembersOf(planId);
            session.DeleteWhere<PushSubscriptionDocument>(s => s.Owner.StartsWith(members));
            return;
        }
        foreach (var removed in events.OfType<MemberRemoved>())
        {
            var owner = PushOwner.Member(planId, removed.MemberId);
            session.DeleteWhere<PushSubscriptionDocument>(s => s.Owner == owner);
        }
    }

    private static readonly Rejection NotAPerson = Rejection.Forbidden(
        "Only a network member of an open plan or a professional can receive push messages.",
        "Alleen een netwerklid van een lopend plan of een hulpverlener kan pushberichten ontvangen.");

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/push/key", (PushSender push) => Results.Ok(new PushKey(push.PublicKey)))
            .AllowAnonymous()
            .WithTags("Notifications")
            .WithSummary("The server's VAPID public key for subscribing to Web Push (anyone).")
            .Produces<PushKey>();

        var me = app.MapGroup("/api/me/push-subscriptions").WithTags("Notifications");
        me.MapPost("", Subscribe)
            .RequireAuthorization(Policies.Reporter)
            .WithSummary("Subscribe this browser to Web Push for the signed-in member or professional; the same endpoint again changes nothing.")
            .Produces(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        me.MapDelete("", Unsubscribe)
            .RequireAuthorization(Policies.Reporter)
            .WithSummary("Remove this browser's Web Push subscription of the signed-in member or professional.")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>201 (also for a repeat), 400 for a wrong field, 403 for a caller who is no person of a plan, 409 past <see cref="MaxPerPerson"/>.</summary>
    public static async Task<IResult> Subscribe([FromBody] PushSubscriptionRequest request, HttpContext http, IDocumentSession session,
        PlanStreams plans, TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        if (await Owner(caller, session, ct) is not { } owner) return NotAPerson.ToProblem(caller.Language);
        if (request.Validate() is { } invalid) return invalid.ToProblem(caller.Language);
        var id = PushOwner.SubscriptionId(owner, request.Endpoint!);
        var location = "/api/me/push-subscriptions";
        var (p256dh, auth) = (request.Keys!.P256dh!.TrimEnd('='), request.Keys.Auth!.TrimEnd('='));
        var existing = await session.LoadAsync<PushSubscriptionDocument>(id, ct);
        if (existing is null)
        {
            if (await session.Query<PushSubscriptionDocument>().CountAsync(s => s.Owner == owner, ct) >= MaxPerPerson)
                return Rejection.Conflict($"At most {MaxPerPerson} browsers can receive push messages; turn them off on one first.",
                    $"Hoogstens {MaxPerPerson} browsers kunnen pushberichten ontvangen; zet ze eerst op een ervan uit.").ToProblem(caller.Language);
            session.Store(new PushSubscriptionDocument
            {
                Id = id, Owner = owner, Endpoint = request.Endpoint!, P256dh = p256dh, Auth = auth,
                Language = caller.Language == "en" ? "en" : "nl", CreatedAt = clock.GetUtcNow(),
            });
            await session.SaveChangesAsync(ct);
        }
        else if (existing.P256dh != p256dh || existing.Auth != auth)
        {
            // The browser renewed its keys for the same endpoint: messages must be encrypted to the new ones.
            (existing.P256dh, existing.Auth) = (p256dh, auth);
            session.Store(existing);
            await session.SaveChangesAsync(ct);
        }
        // After the subscription is stored, and also for a repeat: a request that stored it and failed here is mended by its retry.
        if (PushOwner.MemberOf(owner) is var (planId, memberId)
            && (await plans.Decide(planId, caller, "SubscribePush", (plan, now) => MemberPush.Subscribed(plan, memberId, PushOwner.EndpointHash(request.Endpoint!), now), ct))
                .Rejection is { } refused)
            return refused.ToProblem(caller.Language);
        return Results.Created(location, null);
    }

    /// <summary>
    /// 204 whether or not the subscription was there (also for a member since removed, or of a closed plan, whose
    /// subscriptions SafetyPlan already forgot); 400 without an endpoint, 403 for a caller who is no person of any plan.
    /// </summary>
    public static async Task<IResult> Unsubscribe([FromBody] PushUnsubscribeRequest request, HttpContext http, IDocumentSession session,
        PlanStreams plans, CancellationToken ct)
    {
        var caller = http.Caller();
        if (await Owner(caller, session, ct, leaving: true) is not { } owner) return NotAPerson.ToProblem(caller.Language);
        if (new FieldErrors().RequiredId("endpoint", request.Endpoint, EndpointLength).ToRejection() is { } invalid) return invalid.ToProblem(caller.Language);
        // The plan's event first: a request that fails after it is mended by its retry, and the plan never counts a
        // subscription that is no longer there as a way to reach the member.
        if (PushOwner.MemberOf(owner) is var (planId, memberId)
            && (await plans.Decide(planId, caller, "UnsubscribePush",
                (plan, now) => MemberPush.Ended(plan, memberId, PushOwner.EndpointHash(request.Endpoint!), PushEndReason.Unsubscribed, null, now), ct))
                .Rejection is { } refused)
            return refused.ToProblem(caller.Language);
        session.Delete<PushSubscriptionDocument>(PushOwner.SubscriptionId(owner, request.Endpoint!));
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
