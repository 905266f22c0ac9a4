using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using SafetyPlan.Hosting;

namespace SafetyPlan.Notifications;

/// <summary>
/// What a phone shows for a push message; encrypted end to end (RFC 8291), so it may carry a short text
/// (../shared/domain.md, "Privacy of messages"), but it holds only the kind, a waiting-room title and a path.
/// </summary>
/// <param name="Kind">the subject: <c>escalation-raised</c>, <c>evaluation-reminder</c>, …</param>
/// <param name="Title">the e-mail's subject line in the recipient's language (Notifications/NotificationText.cs): no case data</param>
/// <param name="Url">the path to open: <c>/member</c> for a member, <c>/plans/{planId}</c> for a professional</param>
/// <param name="Id">the push message's <c>Topic</c> (<see cref="PushSender.Topic"/>): the same on a repeat of the delivery</param>
public sealed record PushPayload(NotificationSubject Kind, string Title, string Url, string Id);

/// <summary>
/// Web Push (RFC 8030 messages, RFC 8291 <c>aes128gcm</c> encryption, RFC 8292 VAPID) through Lib.Net.Http.WebPush.
/// The VAPID key pair is generated once: its private key is <c>Push:VapidPrivateKey</c> (base64url, 32 bytes) or else
/// one kept in PostgreSQL like the other keys (<see cref="AuthKeys"/>, name <c>vapid</c>), so every node signs with the same
/// key and subscriptions survive restarts; it is never logged. <c>Push:Subject</c> is the contact the push services
/// see in the token (<see cref="Subject"/>).
/// A push service's refusal throws <see cref="PushServiceClientException"/> with its status (see <see cref="Classify"/>).
/// </summary>
public sealed class PushSender
{
    /// <summary>How long a push service keeps a message for a phone that is off: a day, like e-mail retries (DeliveryPolicy.RetryFor).</summary>
    public const int TimeToLiveSeconds = 24 * 60 * 60;

    private readonly IConfiguration configuration;
    private readonly AppAddress app;
    private readonly Lazy<(string Public, string Private)> _keys;

    public PushSender(IConfiguration configuration, AuthKeys keys, AppAddress app)
    {
        (this.configuration, this.app) = (configuration, app);
        // PublicationOnly: a database that cannot be reached at the first use is asked again next time.
        _keys = new(() => Derive(configuration["Push:VapidPrivateKey"] is { Length: > 0 } configured
            ? WebEncoders.Base64UrlDecode(configured)
            : keys.Secret("vapid")), LazyThreadSafetyMode.PublicationOnly);
        _client = new(CreateClient, LazyThreadSafetyMode.PublicationOnly);
    }

    private readonly Lazy<PushServiceClient> _client;

    /// <summary>The VAPID public key, base64url of the 65-byte uncompressed point (what <c>GET /api/push/key</c> answers).</summary>
    public string PublicKey => _keys.Value.Public;

    /// <summary>The public key of a P-256 private scalar (32 bytes), both base64url.</summary>
    private static (string Public, string Private) Derive(byte[] d)
    {
        if (d.Length != 32) throw new InvalidOperationException("Push:VapidPrivateKey must be 32 bytes (base64url).");
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        var q = ecdsa.ExportParameters(false).Q;
        return (WebEncoders.Base64UrlEncode([0x04, .. q.X!, .. q.Y!]), WebEncoders.Base64UrlEncode(d));
    }

    /// <summary>
    /// The VAPID <c>sub</c> (RFC 8292 §2.1): <c>Push:Subject</c>, else App:BaseUrl when it is https, else
    /// <c>mailto:safetyplan@{host}</c> (push services want a way to reach the sender's operator).
    /// </summary>
    public static string Subject(IConfiguration configuration, string baseUrl) =>
        configuration["Push:Subject"] is { Length: > 0 } subject ? subject
        : baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? baseUrl
        : $"mailto:safetyplan@{new Uri(baseUrl).Host}";

    /// <summary>The message's <c>Topic</c> header: base64url of the first 24 bytes of SHA-256 of the delivery id (32 characters, RFC 8030 §5.4).</summary>
    public static string Topic(string deliveryId) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId))[..24]);

    /// <summary>The payload as JSON (camelCase, the kind in kebab-case as everywhere in the contract).</summary>
    public static string Serialise(PushPayload payload)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonContract.Configure(json);
        return JsonSerializer.Serialize(payload, json);
    }

    /// <summary>Sends one encrypted message to one subscription; throws <see cref="PushServiceClientException"/> on anything but 2xx.</summary>
    public async Task Send(PushSubscriptionDocument subscription, PushPayload payload, CancellationToken ct)
    {
        var target = new PushSubscription { Endpoint = subscription.Endpoint };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var message = new PushMessage(Serialise(payload)) { Topic = payload.Id, TimeToLive = TimeToLiveSeconds, Urgency = PushMessageUrgency.High };
        await _client.Value.RequestPushMessageDeliveryAsync(target, message, ct);
    }

    private PushServiceClient CreateClient()
    {
        var (publicKey, privateKey) = _keys.Value;
        var vapid = new VapidAuthentication(publicKey, privateKey)
        {
            Subject = Subject(configuration, app.BaseUrl),
            // The token's exp is set by the library from the system clock, not SafetyPlan's: the push service checks it
            // against its own, real clock (RFC 8292 §2: at most 24 hours ahead). 12 hours leaves room for clock skew.
            Expiration = 12 * 60 * 60,
        };
        // A member or professional chose the endpoint: public addresses only (Web/OutboundAddresses.cs).
        var client = new HttpClient(new VapidAudience(vapid) { InnerHandler = Web.OutboundAddresses.Handler(allowLoopback: Auth.SignInMode.IsDevelopment(configuration)) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        return new PushServiceClient(client)
        {
            AutoRetryAfter = false, DefaultAuthentication = vapid, DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
        };
    }

    /// <summary>
    /// RFC 8292 §2: the token's <c>aud</c> is the push resource's origin, port included. The library leaves out a port
    /// that is not the scheme's default, so the token is made again here for the request's own origin (the same token
    /// on 443, where every public push service is).
    /// </summary>
    private sealed class VapidAudience(VapidAuthentication vapid) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var origin = request.RequestUri!.GetLeftPart(UriPartial.Authority);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("vapid", vapid.GetVapidSchemeAuthenticationHeaderValueParameter(origin));
            return base.SendAsync(request, ct);
        }
    }

    /// <summary>
    /// A push service's answer (RFC 8030 §5, §7.3): 404 and 410 mean the subscription is gone (permanent: it is removed);
    /// 429 and 5xx are temporary; any other 4xx is permanent (our request is wrong, trying again cannot help).
    /// </summary>
    public static DeliveryFailure Classify(Exception error) => error switch
    {
        PushServiceClientException push => new($"http-{(int)push.StatusCode}",
            (int)push.StatusCode is >= 400 and < 500 && (int)push.StatusCode is not (408 or 429)),
        _ => DeliveryPolicy.Classify(error),
    };

    /// <summary>Whether the push service said the subscription no longer exists (404 or 410).</summary>
    public static bool IsGone(Exception error) => error is PushServiceClientException { StatusCode: System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone };
}
