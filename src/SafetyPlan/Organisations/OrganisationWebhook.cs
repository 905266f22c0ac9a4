using System.Net;
using System.Security.Cryptography;

namespace SafetyPlan.Organisations;

/// <summary>
/// Where an organisation's case-management system hears of its notifications, and the secret they are signed with
/// (Notifications/WebhookSender.cs). One per organisation, in the organisation's own tenant, id = the organisation's id.
/// The URL is read only here and by the sender: events, the inbox and logs name the organisation instead.
/// </summary>
public sealed class OrganisationWebhook
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
    public string ChangedBy { get; set; } = "";
}

/// <param name="Url">absolute <c>https://</c> URL (<c>http://</c> only to a loopback address), at most 2000 characters</param>
/// <param name="Secret">the shared secret, 32 to 256 characters; absent: SafetyPlan generates one and returns it once</param>
public sealed record PutWebhookRequest([property: MaxLength(2000)] string? Url, [property: MaxLength(256)] string? Secret);

/// <summary>An organisation's webhook as an admin reads it; the secret only in the answer that generated it.</summary>
/// <param name="Secret">the generated secret (shown once), or null</param>
public sealed record WebhookSettings(string OrganisationId, string Url, DateTimeOffset ChangedAt, string ChangedBy, string? Secret);

public static class OrganisationWebhookEndpoints
{
    /// <summary>The URL and secret, or a 400 naming the field: https (http to loopback only), 32 to 256 characters of secret.</summary>
    public static Rejection? Validate(PutWebhookRequest request)
    {
        var errors = new FieldErrors().RequiredId("url", request.Url, 2000).OptionalId("secret", request.Secret, 256);
        if (request.Url is { } url && !IsAllowed(url))
            errors.Add("url", "'url' must be an absolute https:// address (http:// only to a loopback address).",
                "'url' moet een absoluut https://-adres zijn (http:// alleen naar een loopback-adres).");
        if (request.Secret is { } secret && (secret.Length is < 32 or > 256 || FieldErrors.HasControlCharacters(secret) || secret.Any(char.IsWhiteSpace)))
            errors.Add("secret", "'secret' has 32 to 256 characters without spaces, or is left out to have one generated.",
                "'secret' heeft 32 tot 256 tekens zonder spaties, of laat het weg om er een te laten maken.");
        return errors.ToRejection();
    }

    private static bool IsAllowed(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps
            || uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));

    private static IResult OtherOrganisation(Caller caller) =>
        Rejection.Forbidden("Admins manage their own organisation only.", "Beheerders beheren alleen hun eigen organisatie.").ToProblem(caller.Language);

    public static void Map(RouteGroupBuilder organisations)
    {
        organisations.MapPut("{organisationId}/webhook", async (string organisationId, [FromBody] PutWebhookRequest request, HttpContext http,
                IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (organisationId != caller.Organisation) return OtherOrganisation(caller);
                if (Validate(request) is { } invalid) return invalid.ToProblem(caller.Language);
                var generated = request.Secret is null ? Base64Url(RandomNumberGenerator.GetBytes(32)) : null;
                var webhook = new OrganisationWebhook
                {
                    Id = organisationId, Url = request.Url!.Trim(), Secret = request.Secret ?? generated!,
                    ChangedAt = clock.GetUtcNow(), ChangedBy = caller.UserId,
                };
                session.Store(webhook);
                await session.SaveChangesAsync(ct);
                return Results.Ok(new WebhookSettings(webhook.Id, webhook.Url, webhook.ChangedAt, webhook.ChangedBy, generated));
            })
            .Admins("Set the admin's own organisation's webhook URL and signing secret.")
            .Produces<WebhookSettings>();

        organisations.MapGet("{organisationId}/webhook", async (string organisationId, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var caller = http.Caller();
                // Another organisation is, to this caller, one without a webhook.
                var webhook = organisationId == caller.Organisation ? await session.LoadAsync<OrganisationWebhook>(organisationId, ct) : null;
                return webhook is null
                    ? Rejection.NotFound("No webhook is configured for this organisation.", "Voor deze organisatie is geen webhook ingesteld.").ToProblem(caller.Language)
                    : Results.Ok(new WebhookSettings(webhook.Id, webhook.Url, webhook.ChangedAt, webhook.ChangedBy, null));
            })
            .Admins("The admin's own organisation's webhook, without its secret.")
            .Produces<WebhookSettings>();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
