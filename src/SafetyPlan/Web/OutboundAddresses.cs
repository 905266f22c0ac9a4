using System.Net;
using System.Net.Sockets;

namespace SafetyPlan.Web;

/// <summary>
/// Where SafetyPlan may send to when a user chose the address (an organisation's webhook):
/// only public internet addresses, so that nobody can make the server reach its own host or the networks behind it
/// (server-side request forgery, ASVS 5.2.6 / 50.3.x). Judged on the address actually connected to, after DNS, so a
/// name that resolves to a private address is refused too; redirects are not followed. Loopback is allowed only with
/// development sign-in (a developer's machine and the tests, where the receivers run on loopback).
/// </summary>
public static class OutboundAddresses
{
    /// <summary>True for loopback (unless <paramref name="allowLoopback"/>), private (RFC 1918, fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10), carrier-grade NAT (100.64/10), unspecified, multicast and IPv4-mapped forms of them.</summary>
    public static bool IsForbidden(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return !allowLoopback;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] >= 224
               || b[0] == 172 && b[1] is >= 16 and <= 31
               || b[0] == 192 && b[1] == 168
               || b[0] == 169 && b[1] == 254
               || b[0] == 100 && b[1] is >= 64 and <= 127;
    }

    /// <summary>
    /// Whether a URL a user typed may be sent to: absolute, without user info or surrounding spaces, <c>https://</c>
    /// (<c>http://</c> only to loopback), and not an IP literal in a forbidden range (<see cref="IsForbidden"/>; loopback
    /// passes here, the connection judges it by the sign-in mode). Names are judged when connecting, after DNS.
    /// </summary>
    public static bool IsAllowedUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.UserInfo) && url.Trim() == url
        && !(IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) && IsForbidden(literal, allowLoopback: true))
        && (uri.Scheme == Uri.UriSchemeHttps
            || uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>
    /// A handler that connects only to allowed addresses (the refusal is an <see cref="HttpRequestException"/> naming no
    /// address) and follows no redirect.
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowLoopback) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => !IsForbidden(a, allowLoopback)).ToArray();
            if (allowed.Length == 0 || allowed.Length != addresses.Length)
                throw new HttpRequestException(HttpRequestError.ConnectionError, "The address is not a public internet address; SafetyPlan does not send there.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
