using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;

namespace SafetyPlan.Notifications;

/// <summary>
/// What one failed delivery attempt means, in a code that holds no personal data (a mail server's reply can quote the
/// address it refused, so the reply itself is never kept with it): <c>smtp-550</c>, <c>smtp-451</c> (in answer to the
/// recipient or the sender), <c>smtp-data-554</c> (in answer to the message itself), <c>http-410</c>,
/// <c>http-503</c>, <c>timeout</c>, <c>connection</c>, <c>tls</c>, <c>tls-required</c>, <c>smtp-protocol</c>, <c>smtp-auth</c> or <c>error</c>.
/// </summary>
/// <param name="Code">the code above</param>
/// <param name="Permanent">true when the receiver refused this message for good: trying again cannot help</param>
public sealed record DeliveryFailure(string Code, bool Permanent)
{
    /// <summary>
    /// Whether a permanent failure with this code says the recipient's address itself is refused (an SMTP 5xx in answer
    /// to RCPT TO: no such mailbox, domain gone), so that e-mail no longer reaches that member (<see cref="Reachability"/>).
    /// A message refused after the server took the address (5xx to DATA: content or size policy, <c>smtp-data-…</c>)
    /// ends that delivery but says nothing about the address. Events stored before the DATA stage had its own code
    /// (2026-11-30) hold <c>smtp-5xx</c> for both; they count as an address refused.
    /// </summary>
    public static bool RefusesAddress(string code) => code.StartsWith("smtp-5", StringComparison.Ordinal);
}

/// <summary>
/// How long and how often a delivery is tried, and which failures end it at once: the one place these rules live
/// (docs/scheduling-and-notifications.md, "Retries and failure").
/// </summary>
public static class DeliveryPolicy
{
    /// <summary>
    /// A delivery that keeps failing temporarily is tried until this long after it was queued, the last time at exactly
    /// that moment; if that attempt fails too, the delivery ends as failed. A day: long enough for a mail server's or a
    /// case-management system's outage of a night and a weekend morning, short enough that professionals see on the
    /// plan the same day that an alarm did not arrive (the in-app inbox has it all along).
    /// </summary>
    public static readonly TimeSpan RetryFor = TimeSpan.FromHours(24);

    /// <summary>The wait after the first failure; it doubles after every further failure, up to <see cref="LongestWait"/>.</summary>
    public static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>The wait after the <paramref name="attempt"/>-th failure (1-based): 1, 2, 4, … 32 minutes, then an hour.</summary>
    public static TimeSpan Backoff(int attempt)
    {
        var wait = FirstWait * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return wait < LongestWait ? wait : LongestWait;
    }

    /// <summary>
    /// When the attempt after the <paramref name="attempt"/>-th temporary failure at <paramref name="now"/> is due: after
    /// <see cref="Backoff"/>, but never later than <see cref="RetryFor"/> after <paramref name="queuedAt"/>; null when
    /// that moment has come, and the delivery ends as failed.
    /// </summary>
    public static DateTimeOffset? NextAttempt(DateTimeOffset queuedAt, int attempt, DateTimeOffset now)
    {
        var last = queuedAt + RetryFor;
        if (now >= last) return null;
        var next = now + Backoff(attempt);
        return next < last ? next : last;
    }

    /// <summary>
    /// Permanent: SMTP 5xx in answer to the recipient (RCPT TO) or the message (DATA), and HTTP 4xx except 408 (request
    /// timeout) and 429 (too many requests), as RFC 5321 §4.2.1 and RFC 9110 §15.5 mean them. Everything else is
    /// temporary: SMTP 4xx, a refused sender or login (5xx on MAIL FROM or AUTH: our configuration, which an operator
    /// can mend), HTTP 5xx, connections refused or lost, timeouts.
    /// </summary>
    public static DeliveryFailure Classify(Exception error) => error switch
    {
        SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted } smtp => new($"smtp-data-{(int)smtp.StatusCode}",
            (int)smtp.StatusCode is >= 500 and < 600),
        SmtpCommandException smtp => new($"smtp-{(int)smtp.StatusCode}",
            (int)smtp.StatusCode is >= 500 and < 600 && smtp.ErrorCode is SmtpErrorCode.RecipientNotAccepted),
        HttpRequestException { StatusCode: { } status } => new($"http-{(int)status}",
            (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)),
        SmtpTlsRequiredException => new("tls-required", false),
        SmtpProtocolException => new("smtp-protocol", false),
        MailKit.Security.AuthenticationException => new("smtp-auth", false),
        MailKit.Security.SslHandshakeException or System.Security.Authentication.AuthenticationException => new("tls", false),
        TimeoutException or OperationCanceledException => new("timeout", false),
        SocketException or HttpRequestException or IOException => new("connection", false),
        _ => new("error", false),
    };
}
