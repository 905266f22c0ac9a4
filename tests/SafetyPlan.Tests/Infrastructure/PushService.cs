using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// A Web Push service on loopback, as a browser vendor runs one (RFC 8030): a subscription is a URL on it with keys the
/// test generated like a browser does (<see cref="Subscribe"/>). Every message is checked as a push service and a
/// browser would: the VAPID token (RFC 8292: ES256 JWT, aud = this origin, exp within 24 hours, signed with the key
/// in <c>k</c>), and the <c>aes128gcm</c> body (RFC 8188/8291) decrypted with the subscription's private key and auth
/// secret. A message that fails a check is recorded with its problem and answered 400.
/// </summary>
public sealed class PushService : IDisposable
{
    /// <summary>A browser's subscription: the endpoint and its keys (the private key stays here, as in a browser).</summary>
    public sealed class Subscription(string endpoint, ECDiffieHellman key, byte[] auth)
    {
        public string Endpoint { get; } = endpoint;
        public ECDiffieHellman Key { get; } = key;
        public byte[] Auth { get; } = auth;
        public byte[] PublicKey { get; } = PublicPoint(key);
        public string P256dh => Base64Url(PublicKey);
        public string AuthText => Base64Url(Auth);
        /// <summary>What this subscription answers: 201, or a status the test chose.</summary>
        public int Answer { get; set; } = 201;
        /// <summary>The body of a POST /api/me/push-subscriptions for it.</summary>
        public object Request => new { endpoint = Endpoint, keys = new { p256dh = P256dh, auth = AuthText } };
    }

    /// <param name="Plaintext">the decrypted payload (null when it could not be decrypted: see <paramref name="Problem"/>)</param>
    /// <param name="VapidKey">the <c>k</c> of the Authorization header</param>
    /// <param name="Problem">what was wrong with the request, or null</param>
    public sealed record Received(string Endpoint, string? Plaintext, string? Topic, string? Ttl, string? VapidKey, int Answered, string? Problem);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new();
    private readonly ConcurrentQueue<Received> _received = new();

    public PushService()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"{Origin}/");
        _listener.Start();
        _ = Task.Run(Listen);
    }

    public int Port { get; }
    public string Origin => $"http://127.0.0.1:{Port}";
    public IReadOnlyList<Received> Requests => _received.ToList();
    public IReadOnlyList<Received> To(Subscription subscription) => _received.Where(r => r.Endpoint == subscription.Endpoint).ToList();

    /// <summary>A new subscription as a browser makes one: a fresh P-256 key pair and 16 random bytes of auth secret.</summary>
    public Subscription Subscribe()
    {
        var subscription = new Subscription($"{Origin}/push/{Guid.NewGuid():N}", ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256), RandomNumberGenerator.GetBytes(16));
        _subscriptions[new Uri(subscription.Endpoint).AbsolutePath] = subscription;
        return subscription;
    }

    /// <summary>
    /// The browser renews the subscription's keys (a new key pair and auth secret for the same endpoint, as after
    /// <c>pushsubscriptionchange</c>): from now on only messages encrypted to the new keys decrypt.
    /// </summary>
    public Subscription Renew(Subscription old)
    {
        var renewed = new Subscription(old.Endpoint, ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256), RandomNumberGenerator.GetBytes(16));
        _subscriptions[new Uri(old.Endpoint).AbsolutePath] = renewed;
        return renewed;
    }

    private async Task Listen()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var request = context.Request;
            var endpoint = $"{Origin}{request.Url!.AbsolutePath}";
            string? plaintext = null, problem = null, vapidKey = null;
            var answer = 404;
            if (_subscriptions.TryGetValue(request.Url.AbsolutePath, out var subscription))
            {
                try
                {
                    vapidKey = CheckVapid(request.Headers["Authorization"]);
                    if (request.Headers["Content-Encoding"] != "aes128gcm") throw new InvalidDataException($"Content-Encoding {request.Headers["Content-Encoding"]}");
                    plaintext = Decrypt(subscription, body.ToArray());
                    answer = subscription.Answer;
                }
                catch (Exception e)
                {
                    (problem, answer) = (e.Message, 400);
                }
            }
            _received.Enqueue(new Received(endpoint, plaintext, request.Headers["Topic"], request.Headers["TTL"], vapidKey, answer, problem));
            context.Response.StatusCode = answer;
            context.Response.Close();
        }
    }

    /// <summary>RFC 8292 §2-3: <c>vapid t=&lt;JWT&gt;, k=&lt;key&gt;</c>; the JWT is ES256 over its header and claims, aud is this origin, exp at most 24 hours ahead.</summary>
    private string CheckVapid(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("vapid ", StringComparison.Ordinal)) throw new InvalidDataException("no vapid Authorization");
        var parameters = authorization["vapid ".Length..].Split(',').Select(p => p.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var (token, key) = (parameters["t"], parameters["k"]);
        var parts = token.Split('.');
        var header = JsonDocument.Parse(FromBase64Url(parts[0])).RootElement;
        if (header.GetProperty("alg").GetString() != "ES256") throw new InvalidDataException("alg is not ES256");
        var point = FromBase64Url(key);
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256))
            throw new InvalidDataException("the JWT's signature does not verify with k");
        var claims = JsonDocument.Parse(FromBase64Url(parts[1])).RootElement;
        if (claims.GetProperty("aud").GetString() != Origin) throw new InvalidDataException($"aud {claims.GetProperty("aud")} is not {Origin}");
        // The push service's own clock (a real one): RFC 8292 §2 allows at most 24 hours ahead.
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        var now = DateTimeOffset.UtcNow;
        if (expires <= now || expires > now.AddHours(24)) throw new InvalidDataException($"exp {expires:O} is not within 24 hours of {now:O}");
        if (!claims.TryGetProperty("sub", out var sub) || sub.GetString() is not { Length: > 0 }) throw new InvalidDataException("no sub");
        return key;
    }

    /// <summary>RFC 8291 §3.4 and RFC 8188 §2: one record, keyed by ECDH with the sender's key in the header and the auth secret.</summary>
    private static string Decrypt(Subscription subscription, byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        int idLength = body[20];
        var senderPublic = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];
        if (idLength != 65 || ciphertext.Length > recordSize) throw new InvalidDataException("not one aes128gcm record with a P-256 key id");

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] },
        });
        var ecdhSecret = subscription.Key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. subscription.PublicKey, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, subscription.Auth, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, "Content-Encoding: nonce\0"u8.ToArray());

        var plain = new byte[ciphertext.Length - 16];
        using (var aes = new AesGcm(cek, 16)) aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0) end--;
        if (end < 0 || plain[end] != 0x02) throw new InvalidDataException("the last record's padding delimiter is not 0x02");
        return Encoding.UTF8.GetString(plain, 0, end);
    }

    private static byte[] PublicPoint(ECDiffieHellman key)
    {
        var q = key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }

    public void Dispose() => _listener.Close();
}
