using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SafetyPlan.Hosting;
using SafetyPlan.Organisations;

namespace SafetyPlan.Notifications;

/// <summary>
/// Section <c>Webhook</c>: the webhook of the organisation <c>default</c> only, used when that organisation has none of
/// its own (<see cref="OrganisationWebhook"/>); a fallback for installations from before webhooks were per organisation.
/// </summary>
public sealed class WebhookOptions
{
    public string? Url { get; set; }
    public string? Secret { get; set; }
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url) && !string.IsNullOrWhiteSpace(Secret);
}

/// <summary>
/// What a case-management system receives: ids and the kind, nothing of the case (NTA 7516). The receiver fetches the
/// details through the API (<c>GET /api/plans/{planId}</c>) with its own credentials.
/// </summary>
/// <param name="Organisation">the organisation's id</param>
/// <param name="Notification">the delivery's id (<see cref="Notify.DeliveryId"/>), also in the <c>X-SafetyPlan-Delivery</c> header</param>
/// <param name="Kind">what happened: <c>escalation-raised</c>, <c>escalation-passed-to-backup</c>, <c>evaluation-reminder</c>, <c>evaluation-overdue</c></param>
public sealed record WebhookPayload(string Organisation, Guid PlanId, string Notification, NotificationSubject Kind);

/// <summary>Where one organisation's webhook goes and what it is signed with.</summary>
/// <param name="ChosenByAnAdmin">an organisation's own webhook (public addresses only), not the installation's <c>Webhook</c> section, which the operator chose</param>
public sealed record WebhookTarget(string Url, string Secret, bool ChosenByAnAdmin = false);

/// <summary>
/// An organisation's webhook: POST of <see cref="WebhookPayload"/> with headers <c>X-SafetyPlan-Timestamp</c> (Unix
/// seconds, from the server's clock), <c>X-SafetyPlan-Signature: sha256=&lt;hex HMAC-SHA256 with the organisation's
/// secret over "&lt;timestamp&gt;.&lt;body&gt;"&gt;</c> and <c>X-SafetyPlan-Delivery</c> (the delivery's id: what a
/// receiver uses to ignore a repeat). A receiver checks with <see cref="Verify"/> (docs/security.md, "Webhooks").
/// Anything but 2xx throws <see cref="HttpRequestException"/> with the status (see <see cref="DeliveryPolicy.Classify"/>).
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const string SignatureHeader = "X-SafetyPlan-Signature";
    public const string TimestampHeader = "X-SafetyPlan-Timestamp";
    public const string DeliveryHeader = "X-SafetyPlan-Delivery";
    /// <summary>The HTTP client for an organisation's own webhook: public addresses only (<see cref="Web.OutboundAddresses"/>).</summary>
    public const string OrganisationClient = "OrganisationWebhook";

    /// <summary>How far a receiver accepts a timestamp from its own clock, either way: five minutes.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The organisation's own webhook, or for the organisation <c>default</c> without one the <c>Webhook</c> section;
    /// null when neither is configured.
    /// </summary>
    /// <param name="session">a session of the organisation's tenant</param>
    public async Task<WebhookTarget?> For(string organisation, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<OrganisationWebhook>(organisation, ct) is { } own) return new WebhookTarget(own.Url, own.Secret, ChosenByAnAdmin: true);
        return organisation == Caller.DefaultOrganisation && options.Value.IsConfigured
            ? new WebhookTarget(options.Value.Url!, options.Value.Secret!)
            : null;
    }

    /// <param name="deliveryId">the delivery's id across plans and organisations (<see cref="Notify.DeliveryId"/>)</param>
    public static WebhookPayload Payload(string organisation, Plan plan, Delivery delivery, string deliveryId) =>
        new(organisation, plan.Id, deliveryId, delivery.Subject);

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256, keyed with the UTF-8 secret, of <c>"{timestamp}."</c> followed by the body.</summary>
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body];
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// What a receiver checks: the timestamp is within <see cref="ReplayWindow"/> of <paramref name="now"/>, and the
    /// signature is <see cref="Sign"/>'s (compared in constant time).
    /// </summary>
    public static bool Verify(string secret, string? timestamp, byte[] body, string? signature, DateTimeOffset now)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > ReplayWindow) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
    }

    public async Task Send(WebhookTarget target, WebhookPayload payload, CancellationToken ct)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonContract.Configure(json);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(target.Secret, timestamp, body));
        request.Headers.Add(DeliveryHeader, payload.Notification);
        using var client = http.CreateClient(target.ChosenByAnAdmin ? OrganisationClient : nameof(WebhookSender));
        client.Timeout = TimeSpan.FromSeconds(10);
        using var response = await client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }
}
