using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SafetyPlan.Hosting;

namespace SafetyPlan.Notifications;

public sealed class WebhookOptions
{
    public string? Url { get; set; }
    public string? Secret { get; set; }
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url) && !string.IsNullOrWhiteSpace(Secret);
}

/// <summary>What a case-management system receives: JSON, signed so that it can check the sender.</summary>
/// <param name="Delivery">the delivery's id (<see cref="Notify.DeliveryId"/>), also in the <c>X-SafetyPlan-Delivery</c> header</param>
public sealed record WebhookPayload(
    string Delivery, NotificationSubject Subject, Guid PlanId, string PlanTitle, string Reference, DateTimeOffset QueuedAt,
    Guid? EscalationId, string? BottomLine, string? Rule, DateTimeOffset? AcknowledgeBy, DateOnly? EvaluationDue, string Link);

/// <summary>
/// The organisation's webhook: POST of <see cref="WebhookPayload"/> with header
/// <c>X-SafetyPlan-Signature: sha256=&lt;hex HMAC-SHA256 of the body with the shared secret&gt;</c> and
/// <c>X-SafetyPlan-Delivery</c> (the delivery's id, <see cref="Notify.DeliveryId"/>: what a receiver can use to ignore a
/// repeat). Anything but 2xx throws <see cref="HttpRequestException"/> with the status (see <see cref="DeliveryPolicy.Classify"/>).
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, IOptions<WebhookOptions> options)
{
    public const string SignatureHeader = "X-SafetyPlan-Signature";
    public const string DeliveryHeader = "X-SafetyPlan-Delivery";

    public bool IsConfigured => options.Value.IsConfigured;
    public string Address => options.Value.Url!;

    /// <param name="deliveryId">the delivery's id across plans and organisations (<see cref="Notify.DeliveryId"/>)</param>
    public static WebhookPayload Payload(Plan plan, Delivery delivery, string deliveryId, string baseUrl)
    {
        var escalation = Guid.TryParse(delivery.Reference, out var id) ? plan.FindEscalation(id) : null;
        var bottomLine = escalation is null ? null : plan.FindBottomLine(escalation.BottomLineId);
        return new WebhookPayload(deliveryId, delivery.Subject, plan.Id, plan.Title, delivery.Reference, delivery.QueuedAt,
            escalation?.Id, bottomLine?.Text, bottomLine?.Rule.Describe(), escalation?.AcknowledgeBy, plan.EvaluationDue,
            $"{baseUrl.TrimEnd('/')}/plans/{plan.Id}");
    }

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task Send(WebhookPayload payload, CancellationToken ct)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonContract.Configure(json);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, json);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SignatureHeader, Sign(options.Value.Secret!, body));
        request.Headers.Add(DeliveryHeader, payload.Delivery);
        using var client = http.CreateClient(nameof(WebhookSender));
        client.Timeout = TimeSpan.FromSeconds(10);
        using var response = await client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }
}
