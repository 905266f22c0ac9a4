using System.Net;

namespace SafetyPlan.Organisations;

/// <summary>
/// Where an organisation's case-management system hears of its notifications, and the secret they are signed with
/// (Notifications/WebhookSender.cs). One per organisation, in the organisation's own tenant, id = the organisation's id;
/// set with <c>PUT /api/organisations/{id}</c> (<see cref="PutOrganisationRequest.Webhook"/>), stopped with
/// <c>DELETE /api/organisations/{id}/webhook</c>. The URL and secret are read only by the sender: answers, events, the
/// inbox and logs name the organisation instead (docs/security.md, "Webhooks").
/// </summary>
public sealed class OrganisationWebhook
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
    public string ChangedBy { get; set; } = "";

    /// <summary>Adds to <paramref name="errors"/> what is wrong with <paramref name="request"/>, fields named <c>{prefix}url</c> and <c>{prefix}secret</c>.</summary>
    public static FieldErrors Validate(PutWebhookRequest request, FieldErrors errors, string prefix)
    {
        errors.RequiredId($"{prefix}url", request.Url, 2000).RequiredId($"{prefix}secret", request.Secret, 256);
        if (request.Url is { } url && !IsAllowed(url))
            errors.Add($"{prefix}url", "'url' must be an absolute https:// address on the public internet (http:// only to a loopback address).",
                "'url' moet een absoluut https://-adres op het openbare internet zijn (http:// alleen naar een loopback-adres).");
        if (request.Secret is { } secret && (secret.Length is < 32 or > 256 || secret.Any(char.IsWhiteSpace)))
            errors.Add($"{prefix}secret", "'secret' has 32 to 256 characters without spaces.", "'secret' heeft 32 tot 256 tekens zonder spaties.");
        return errors;
    }

    private static bool IsAllowed(string url) => Web.OutboundAddresses.IsAllowedUrl(url.Trim());
}

/// <param name="Url">absolute <c>https://</c> URL (<c>http://</c> only to a loopback address), at most 2000 characters</param>
/// <param name="Secret">the shared secret the receiver verifies signatures with, 32 to 256 characters without spaces</param>
public sealed record PutWebhookRequest([property: MaxLength(2000)] string? Url, [property: MaxLength(256)] string? Secret);
