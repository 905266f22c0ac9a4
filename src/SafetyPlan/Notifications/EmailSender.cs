using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SafetyPlan.Notifications;

/// <summary>How the connection to the mail server is protected (<c>Smtp:Security</c>, api-contract.md "Configuration keys added").</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS required: a server that does not offer it is refused (<c>tls-required</c>) before anything is sent.</summary>
    StartTls,
    /// <summary>TLS from the first byte (RFC 8314, usually port 465).</summary>
    SslOnConnect,
    /// <summary>No TLS at all: only for a mail server on a loopback address (a relay on the same host, a test sink).</summary>
    None,
}

/// <summary>
/// Section <c>Smtp</c>. The connection is encrypted unless <see cref="Security"/> is <see cref="SmtpSecurity.None"/>, which the
/// server accepts only for a loopback <see cref="Host"/> (<see cref="Check"/>).
/// </summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    /// <summary>Absent: <see cref="SmtpSecurity.SslOnConnect"/> on port 465, else <see cref="SmtpSecurity.StartTls"/>.</summary>
    public SmtpSecurity? Security { get; set; }
    public string From { get; set; } = "SafetyPlan <safetyplan@localhost>";
    public string? User { get; set; }
    public string? Password { get; set; }
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The protection in force: <see cref="Security"/>, or the default for <see cref="Port"/>.</summary>
    public SmtpSecurity EffectiveSecurity => Security ?? (Port == 465 ? SmtpSecurity.SslOnConnect : SmtpSecurity.StartTls);

    /// <summary>
    /// Refuses, at start, a section that would send case notifications unprotected beyond this host or that the server
    /// would read otherwise than its operator meant: an unknown <c>Smtp:Security</c>, <c>None</c> towards a host that is
    /// not a loopback address, and the retired <c>Smtp:AllowPlaintext</c> (silently ignored, it would stop all e-mail).
    /// </summary>
    /// <exception cref="InvalidOperationException">the message names the key and the accepted values</exception>
    public static void Check(IConfigurationSection smtp)
    {
        if (smtp["AllowPlaintext"] is not null)
            throw new InvalidOperationException(
                "Smtp:AllowPlaintext is no longer read: use Smtp:Security=None (only for a mail server on a loopback address), " +
                "or leave Smtp:Security out to require STARTTLS (docs/security.md, \"Messages carry no case data\").");
        if (smtp["Security"] is not { } value) return;
        if (!Enum.GetNames<SmtpSecurity>().Contains(value, StringComparer.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Smtp:Security is '{value}'; choose 'StartTls' (the default), 'SslOnConnect' or 'None'.");
        if (Enum.Parse<SmtpSecurity>(value, ignoreCase: true) == SmtpSecurity.None && !IsLoopback(smtp["Host"]))
            throw new InvalidOperationException(
                $"Smtp:Security=None sends e-mail unencrypted and is accepted only for a mail server on a loopback address, not '{smtp["Host"]}'.");
    }

    private static bool IsLoopback(string? host) =>
        host is not null && (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                             || System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
}

/// <summary>The mail server offers no STARTTLS and <see cref="SmtpOptions.Security"/> requires it: nothing was sent.</summary>
public sealed class SmtpTlsRequiredException(string message) : Exception(message);

/// <summary>
/// Sends one e-mail over SMTP with MailKit, encrypted (<see cref="SmtpOptions"/>). The Message-Id and the <c>X-SafetyPlan-Delivery</c> header follow from the
/// delivery's id (<see cref="Notify.DeliveryId"/>: organisation, plan and key), so a receiving system can recognise a
/// repeat, and two plans' messages are never taken for one.
/// </summary>
public sealed class EmailSender(Microsoft.Extensions.Options.IOptions<SmtpOptions> options)
{
    public const string DeliveryHeader = "X-SafetyPlan-Delivery";

    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>
    /// <c>&lt;32 hex digits&gt;@safetyplan</c>: the first 128 bits of the SHA-256 of the delivery id, so the same delivery
    /// always has the same Message-Id (RFC 5322 §3.6.4) and it says nothing of the case.
    /// </summary>
    public static string MessageId(string deliveryId) =>
        $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deliveryId)))[..32]}@safetyplan";

    /// <param name="deliveryId">the delivery's id (<see cref="Notify.DeliveryId"/>)</param>
    /// <exception cref="SmtpCommandException">the server refused the sender, the recipient or the message (see <see cref="DeliveryPolicy.Classify"/>)</exception>
    /// <exception cref="SmtpTlsRequiredException">the server offers no STARTTLS and it is required (code <c>tls-required</c>)</exception>
    public async Task Send(string to, RenderedNotification message, string deliveryId, CancellationToken ct)
    {
        var smtp = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        mime.To.Add(MailboxAddress.Parse(to)); // no display name: a member's name can hold the family's
        mime.Subject = message.Subject;
        mime.MessageId = MessageId(deliveryId);
        mime.Headers.Add(DeliveryHeader, deliveryId);
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = 10_000 };
        // Only called when configured: the dispatcher skips e-mail without Smtp:Host.
        var security = smtp.EffectiveSecurity switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        try
        {
            await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not configured."), smtp.Port, security, ct);
        }
        catch (NotSupportedException) when (security == SecureSocketOptions.StartTls)
        {
            // MailKit refuses before MAIL FROM when STARTTLS is required and not offered.
            throw new SmtpTlsRequiredException("The mail server offers no STARTTLS; set Smtp:Security=None only for a mail server on a loopback address.");
        }
        if (!string.IsNullOrEmpty(smtp.User)) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
