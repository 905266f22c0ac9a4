using Microsoft.Extensions.Options;
using SafetyPlan.Notifications;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// E-mail goes encrypted or not at all: against the real SMTP sink, which offers no STARTTLS, a sender without
/// <c>Smtp:AllowPlaintext</c> refuses before any message is handed over, with the code <c>tls-required</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_mail_server_offers_no_tls(ServerFixture server)
{
    private static readonly RenderedNotification Message = new("Bodemeis overschreden in een veiligheidsplan", "Goedendag,", "<p>Goedendag,</p>");

    private EmailSender Sender(bool allowPlaintext) => new(Options.Create(new SmtpOptions
    {
        Host = "127.0.0.1", Port = server.Smtp.Port, From = "SafetyPlan <safetyplan@test.example>", AllowPlaintext = allowPlaintext,
    }));

    [Fact]
    public async Task without_allow_plaintext_nothing_is_sent_and_the_failure_is_tls_required()
    {
        var address = $"tls-{Guid.NewGuid():N}@jeugdzorg.test";

        var error = await Should.ThrowAsync<Exception>(() => Sender(allowPlaintext: false).Send(address, Message, "default/tls-test/1", CancellationToken.None));

        DeliveryPolicy.Classify(error).ShouldBe(new DeliveryFailure("tls-required", Permanent: false));
        await Task.Delay(500);
        server.Smtp.MessagesTo(address).ShouldBeEmpty();
    }

    [Fact]
    public async Task with_allow_plaintext_set_explicitly_the_same_server_receives_it()
    {
        var address = $"plain-{Guid.NewGuid():N}@jeugdzorg.test";

        await Sender(allowPlaintext: true).Send(address, Message, "default/tls-test/2", CancellationToken.None);

        (await server.Smtp.WaitFor(address, 1)).Count.ShouldBe(1);
    }
}
