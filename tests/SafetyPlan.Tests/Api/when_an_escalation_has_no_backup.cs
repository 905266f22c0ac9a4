using System.Net;
using System.Text.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// A plan without a backup: the ladder's step to the backup goes to the monitor again (Scheduling/Sweep.cs), so what
/// the monitor is told must fit them: still not acknowledged, and when it goes to the duty professional; never "you are
/// the backup". By the real SMTP sink and the loopback push service, in Dutch and English, with nothing of the case.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_escalation_has_no_backup(ServerFixture server) : IDisposable
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private readonly PushService _push = new();

    public void Dispose() => _push.Dispose();

    private sealed record Payload(string Kind, string Title, string Url, string Id);

    [Theory]
    [InlineData("nl", "Nog steeds niet bevestigd: bodemeis overschreden in een veiligheidsplan", "Het plan heeft geen achtervang. Bevestig vóór {0}, anders gaat de escalatie naar de dienstdoende professional van uw organisatie.", "u bent de achtervang")]
    [InlineData("en", "Still not acknowledged: bottom line crossed in a safety plan", "The plan has no backup. Acknowledge it by {0}, or it goes to your organisation's duty professional.", "you are the backup")]
    public async Task the_monitor_is_told_by_email_and_push_that_it_goes_to_the_duty_professional_next_not_that_they_are_the_backup(
        string language, string subject, string nextStep, string backupWords)
    {
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var email = await server.Professional(monitor, language);
        var professional = server.As(monitor, "professional");
        var phone = _push.Subscribe();
        (await professional.Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var plan = await (await professional.Post("/api/plans", new { title = "Veiligheidsplan Zonder-Achtervang", family = "Zonder-Achtervang", monitorId = monitor })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Opa Kees", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new { text = "Geheime afspraak", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Geheime bodemeis", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT1H" })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        (await server.As("opa", $"member:{member}").Post($"/api/plans/{plan}/concerns", new { clientId = Guid.NewGuid().ToString(), memberId = member, text = "Geheime zorg", severity = "high" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var raisedAt = await server.Now();

        await server.Advance("PT1H"); // the monitor's time is up; there is no backup: the step goes to the monitor again
        await server.Advance("PT0S");

        var messages = await server.Smtp.WaitFor(email, 2, TimeSpan.FromSeconds(30));
        messages.Count.ShouldBe(2);
        var dutyAt = TimeZoneInfo.ConvertTime(raisedAt.AddHours(2), Amsterdam).ToString(language == "nl" ? "dd-MM-yyyy HH:mm" : "yyyy-MM-dd HH:mm");
        var again = messages.Single(m => m.Subject == subject);
        again.TextBody!.ShouldContain(string.Format(System.Globalization.CultureInfo.InvariantCulture, nextStep, dutyAt));
        foreach (var message in messages)
        {
            message.TextBody!.ShouldNotContain(backupWords, Shouldly.Case.Insensitive);
            message.TextBody.ShouldNotContain("Geheim", Shouldly.Case.Insensitive);
            message.TextBody.ShouldNotContain("Zonder-Achtervang", Shouldly.Case.Insensitive);
        }

        List<PushService.Received> pushed = [];
        for (var until = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < until && pushed.Count < 2; await Task.Delay(100)) pushed = [.. _push.To(phone)];
        pushed.Select(p => JsonSerializer.Deserialize<Payload>(p.Plaintext!, ServerFixture.Json)!)
            .Select(p => (p.Kind, p.Title)).ShouldContain(("escalation-passed-to-backup", subject));
    }
}
