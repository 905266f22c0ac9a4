using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// A tiny OpenID Connect provider on loopback, run by the test process itself (no external server): the discovery
/// document, the signing keys (JWKS, from an RSA key made here) and, for the pages' code flow, an authorize endpoint that
/// signs in <see cref="NextUser"/> at once and a token endpoint that checks the code and PKCE verifier.
/// </summary>
public sealed class TestOpenIdProvider : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string ClientId, string RedirectUri, string? Nonce, string? Challenge, Dictionary<string, object> Claims)> _codes = new();

    public TestOpenIdProvider()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Key = new RsaSecurityKey(_rsa) { KeyId = "test-key-1" };
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(Listen);
    }

    public int Port { get; }
    public string Issuer => $"http://127.0.0.1:{Port}";
    public RsaSecurityKey Key { get; }

    /// <summary>The claims of whoever signs in at the authorize endpoint next (the test's stand-in for a login form).</summary>
    public Dictionary<string, object> NextUser { get; set; } = new();

    /// <summary>The moment the tokens are issued at (the server under test runs on a manual clock).</summary>
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>A signed token; every part can be made wrong on purpose to prove the server refuses it.</summary>
    public string Token(string audience, IDictionary<string, object> claims, TimeSpan? lifetime = null, string? issuer = null,
        SecurityKey? signingKey = null, DateTimeOffset? issuedAt = null)
    {
        var at = issuedAt ?? Now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = new Dictionary<string, object>(claims),
            IssuedAt = at.UtcDateTime,
            NotBefore = at.UtcDateTime,
            Expires = (at + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task Listen()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            try { await Answer(context); }
            catch (Exception e)
            {
                context.Response.StatusCode = 500;
                await Write(context, new { error = "server_error", error_description = e.Message });
            }
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var request = context.Request;
        switch (request.Url!.AbsolutePath)
        {
            case "/.well-known/openid-configuration":
                await Write(context, new Dictionary<string, object>
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = $"{Issuer}/authorize",
                    ["token_endpoint"] = $"{Issuer}/token",
                    ["jwks_uri"] = $"{Issuer}/jwks",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["code_challenge_methods_supported"] = new[] { "S256" },
                });
                return;
            case "/jwks":
                var parameters = _rsa.ExportParameters(false);
                await Write(context, new
                {
                    keys = new[]
                    {
                        new { kty = "RSA", use = "sig", alg = "RS256", kid = Key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                    },
                });
                return;
            case "/authorize":
                var query = QueryHelpers.ParseQuery(request.Url.Query);
                var code = Guid.NewGuid().ToString("N");
                _codes[code] = (query["client_id"].ToString(), query["redirect_uri"].ToString(), query["nonce"].FirstOrDefault(),
                    query["code_challenge"].FirstOrDefault(), new Dictionary<string, object>(NextUser));
                context.Response.StatusCode = 302;
                context.Response.RedirectLocation = QueryHelpers.AddQueryString(query["redirect_uri"].ToString(),
                    new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"].ToString() });
                context.Response.Close();
                return;
            case "/token" when request.HttpMethod == "POST":
                using (var reader = new StreamReader(request.InputStream))
                {
                    var form = QueryHelpers.ParseQuery(await reader.ReadToEndAsync());
                    if (!_codes.TryRemove(form["code"].ToString(), out var grant) || grant.ClientId != form["client_id"].ToString()
                        || grant.RedirectUri != form["redirect_uri"].ToString() || !PkceMatches(grant.Challenge, form["code_verifier"].FirstOrDefault()))
                    {
                        context.Response.StatusCode = 400;
                        await Write(context, new { error = "invalid_grant" });
                        return;
                    }
                    var accessToken = Token(grant.ClientId, grant.Claims);
                    var idClaims = new Dictionary<string, object>(grant.Claims) { ["at_hash"] = LeftHalfHash(accessToken) };
                    if (grant.Nonce is not null) idClaims["nonce"] = grant.Nonce;
                    await Write(context, new { access_token = accessToken, token_type = "Bearer", expires_in = 3600, id_token = Token(grant.ClientId, idClaims) });
                }
                return;
            default:
                context.Response.StatusCode = 404;
                context.Response.Close();
                return;
        }
    }

    private static bool PkceMatches(string? challenge, string? verifier) =>
        challenge is null || (verifier is not null && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == challenge);

    private static string LeftHalfHash(string token) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(token))[..16]);

    private static async Task Write(HttpListenerContext context, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        _listener.Close();
        _rsa.Dispose();
    }
}
