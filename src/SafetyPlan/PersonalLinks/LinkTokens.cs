using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SafetyPlan.PersonalLinks;

/// <summary>What a personal link's token says; it proves only that SafetyPlan issued it (the plan's state says whether it still counts).</summary>
public sealed record LinkClaims(Guid LinkId, Guid PlanId, Guid MemberId, string Organisation, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs and reads personal-link tokens: purpose, link id, plan id, member id, expiry and organisation, with an
/// HMAC-SHA256 over them. Two purposes: a sign-in token (<c>/l/{token}</c>, what a professional hands out) and a
/// calendar token, which opens the member's calendar feed only and never signs in: calendar services keep and share
/// subscription addresses, so the address the member page offers must not be a key to the case (NTA 7516). The key is Auth:LinkSigningKey (base64, at least 32 bytes) or else one generated once and kept in
/// PostgreSQL (<see cref="AuthKeys"/>), so every node sharing the database reads the same tokens.
/// </summary>
public sealed class LinkTokens(IConfiguration configuration, AuthKeys keys)
{
    private const byte SignIn = 1, CalendarOnly = 2;
    // PublicationOnly: a database that cannot be reached at the first use is asked again next time, not remembered as a failure.
    private readonly Lazy<byte[]> _key = new(() => configuration["Auth:LinkSigningKey"] is { Length: > 0 } configured
        ? Configured(configured)
        : keys.Secret("personal-links"), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>A sign-in token: <c>/l/{token}</c> signs the member in (and opens the calendar feed).</summary>
    public string Sign(LinkClaims claims) => Sign(claims, SignIn);

    /// <summary>A token for <c>/l/{token}/calendar.ics</c> only, for the same link: it ends with the link, and <c>/l/{token}</c> refuses it.</summary>
    public string SignCalendar(LinkClaims claims) => Sign(claims, CalendarOnly);

    /// <summary>A sign-in token's claims (<see cref="Sign"/>) when its signature is SafetyPlan's, otherwise null (expiry is judged by the caller, on SafetyPlan's clock).</summary>
    public LinkClaims? Read(string? token) => Read(token, SignIn);

    /// <summary>The claims of a token that opens the calendar feed: a calendar token or a sign-in token; otherwise null.</summary>
    public LinkClaims? ReadForCalendar(string? token) => Read(token, SignIn) ?? Read(token, CalendarOnly);

    private string Sign(LinkClaims claims, byte purpose)
    {
        var organisation = Encoding.UTF8.GetBytes(claims.Organisation);
        var payload = new byte[1 + 16 * 3 + 8 + organisation.Length];
        payload[0] = purpose;
        claims.LinkId.TryWriteBytes(payload.AsSpan(1, 16));
        claims.PlanId.TryWriteBytes(payload.AsSpan(17, 16));
        claims.MemberId.TryWriteBytes(payload.AsSpan(33, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(49, 8), claims.ExpiresAt.ToUnixTimeSeconds());
        organisation.CopyTo(payload.AsSpan(57));
        return $"{WebEncoders.Base64UrlEncode(payload)}.{WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key.Value, payload))}";
    }

    private LinkClaims? Read(string? token, byte purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512) return null;
        var parts = token.Split('.');
        if (parts.Length != 2) return null;
        byte[] payload, signature;
        try
        {
            payload = WebEncoders.Base64UrlDecode(parts[0]);
            signature = WebEncoders.Base64UrlDecode(parts[1]);
        }
        catch (FormatException) { return null; }
        if (payload.Length < 57 || payload[0] != purpose) return null;
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key.Value, payload), signature)) return null;
        string organisation;
        try { organisation = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload, 57, payload.Length - 57); }
        catch (DecoderFallbackException) { return null; }
        return new LinkClaims(
            new Guid(payload.AsSpan(1, 16)), new Guid(payload.AsSpan(17, 16)), new Guid(payload.AsSpan(33, 16)),
            organisation.Length == 0 ? Caller.DefaultOrganisation : organisation,
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(49, 8))));
    }

    private static byte[] Configured(string base64)
    {
        var key = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, key, out var length) || (key = key[..length]).Length < 32) throw new InvalidOperationException("Auth:LinkSigningKey must be at least 32 bytes (base64).");
        return key;
    }
}
