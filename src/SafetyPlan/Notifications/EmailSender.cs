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

/// <summary>Sends one e-mail over SMTP with MailKit. The Message-Id follows from the delivery key, so a receiving system can recognise a repeat.</summary>
public sealed class EmailSender(Microsoft.Extensions.Options.IOptions<SmtpOptions> options)
{
    public bool IsConfigured => options.Value.IsConfigured;

    public async Task Send(string to, string toName, RenderedNotification message, string deliveryKey, CancellationToken ct)
    {
        var smtp = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        mime.To.Add(new MailboxAddress(toName, to));
        mime.Subject = message.Subject;
        mime.MessageId = $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deliveryKey)))[..32]}@safetyplan";
        mime.Headers.Add("X-SafetyPlan-Delivery", deliveryKey);
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = 10_000 };
        // Only called when configured: the dispatcher skips e-mail without Smtp:Host.
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not configured."), smtp.Port, SecureSocketOptions.StartTlsWhenAvailable, ct);
        if (!string.IsNullOrEmpty(smtp.User)) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
