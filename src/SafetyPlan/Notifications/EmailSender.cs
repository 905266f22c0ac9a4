using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SafetyPlan.Notifications;

/// <summary>
/// Section <c>Smtp</c>. The connection is always encrypted: port 465 with TLS from the start (RFC 8314), any other port
/// with STARTTLS, and a server that offers neither is refused (<c>tls-required</c>) before anything is sent, unless
/// <see cref="AllowPlaintext"/> is set.
/// </summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    /// <summary>Send without TLS when the server offers none (a relay on the same host, a test sink). Off unless set explicitly.</summary>
    public bool AllowPlaintext { get; set; }
    public string From { get; set; } = "SafetyPlan <safetyplan@localhost>";
    public string? User { get; set; }
    public string? Password { get; set; }
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>The mail server offers no TLS and <see cref="SmtpOptions.AllowPlaintext"/> is not set: nothing was sent.</summary>
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
    /// <exception cref="SmtpTlsRequiredException">the server offers no TLS and plaintext is not allowed (code <c>tls-required</c>)</exception>
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
        var security = smtp.AllowPlaintext ? SecureSocketOptions.StartTlsWhenAvailable
            : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        try
        {
            await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not configured."), smtp.Port, security, ct);
        }
        catch (NotSupportedException) when (security == SecureSocketOptions.StartTls)
        {
            // MailKit refuses before MAIL FROM when STARTTLS is required and not offered.
            throw new SmtpTlsRequiredException("The mail server offers no STARTTLS; set Smtp:AllowPlaintext=true only for a relay that needs none.");
        }
        if (!string.IsNullOrEmpty(smtp.User)) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
