using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SafetyPlan.Notifications;

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string From { get; set; } = "SafetyPlan <safetyplan@localhost>";
    public string? User { get; set; }
    public string? Password { get; set; }
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// Sends one e-mail over SMTP with MailKit. The Message-Id and the <c>X-SafetyPlan-Delivery</c> header follow from the
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
    public async Task Send(string to, string toName, RenderedNotification message, string deliveryId, CancellationToken ct)
    {
        var smtp = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        mime.To.Add(new MailboxAddress(toName, to));
        mime.Subject = message.Subject;
        mime.MessageId = MessageId(deliveryId);
        mime.Headers.Add(DeliveryHeader, deliveryId);
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = 10_000 };
        // Only called when configured: the dispatcher skips e-mail without Smtp:Host.
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not configured."), smtp.Port, SecureSocketOptions.StartTlsWhenAvailable, ct);
        if (!string.IsNullOrEmpty(smtp.User)) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
