using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// Issue 15, 3: "acknowledging from the e-mail's link takes one click after sign-in". The escalation's e-mail, taken
/// from the real SMTP sink, links to the escalation's row on the plan page; the monitoring professional opens it in
/// Chromium, signs in, and acknowledges with one click there. A team colleague who may read the plan but not respond
/// sees no form. Checked with axe-core. A server process of its own, on the manual clock.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_professional_follows_an_escalations_email(ServerFixture server)
{
    private static readonly DateTimeOffset MondayFive = new(2027, 1, 4, 17, 0, 0, TimeSpan.FromHours(1));

    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public async Task the_link_lands_on_the_escalation_and_one_click_after_sign_in_acknowledges_it(string language)
    {
        var T = UiText.For(language);
        var unique = Guid.NewGuid().ToString("N")[..8];
        var monitor = $"anna-{unique}";
        await using var node = await Chromium.StartNode(server, $"safetyplan_email_link_{language}", MondayFive, new Dictionary<string, string>
        {
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = server.Smtp.Port.ToString(), ["Smtp__Security"] = "None",
        });
        var site = node.Address.ToString().TrimEnd('/');
        (await node.As("admin", "admin").PutAsync($"/api/users/{monitor}", JsonContent.Create(new
        {
            name = "Anna", email = $"{monitor}@jeugdzorg.test", language, roles = new[] { "professional" },
        }))).EnsureSuccessStatusCode();

        var anna = node.As(monitor, "professional");
        var planId = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan gezin Bakker", family = "Gezin Bakker", monitorId = monitor })).CreatedId();
        var riet = await (await anna.Post($"/api/plans/{planId}/members", new { name = "Oma Riet", role = "network", email = "riet@example.org" })).CreatedId();
        await (await anna.Post($"/api/plans/{planId}/agreements", new { text = "Oma Riet haalt Sem en Lotte om 18:00 op.", responsibleMemberId = riet, schedule = new { daily = "18:00" }, grace = "PT2H" })).CreatedId();
        await (await anna.Post($"/api/plans/{planId}/bottom-lines", new { text = "Bij ernstige zorg grijpt de regiehouder in.", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT2H" })).CreatedId();
        (await anna.Post($"/api/plans/{planId}/agree", new { evaluationDue = "2027-03-01" })).EnsureSuccessStatusCode();
        (await node.As("oma-riet", $"member:{riet}").Post($"/api/plans/{planId}/concerns", new { clientId = "c1", memberId = riet, text = "Politie aan de deur", severity = "high" }))
            .EnsureSuccessStatusCode();
        var escalationId = (await anna.Get<List<Escalation>>("/api/escalations")).ShouldHaveSingleItem().Id;

        // The e-mail as it arrived: its link is the escalation on the plan page.
        var message = (await server.Smtp.WaitFor($"{monitor}@jeugdzorg.test", 1, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem();
        var link = Regex.Match(message.TextBody!, @"https?://\S+").Value;
        link.ShouldBe($"{site}/plans/{planId}#escalation-{escalationId}");

        await using var chromium = await Chromium.Launch();
        var desk = await (await chromium.Context(phone: false, language)).NewPageAsync();
        await desk.GotoAsync(link);
        await Expect(desk).ToHaveURLAsync(new Regex("/sign-in"));
        await Chromium.SignInHere(desk, monitor, "professional", language);
        await Expect(desk).ToHaveURLAsync(new Regex($"/plans/{planId}"));

        var row = desk.Locator($"#escalation-{escalationId}");
        await Expect(row.Locator(".escalation-state")).ToHaveTextAsync(T.EscalationOpen);
        await Chromium.AssertAccessible(desk);
        await row.GetByRole(AriaRole.Button, new() { Name = T.Acknowledge, Exact = true }).ClickAsync(); // the one click

        await Expect(desk.Locator("p.confirm")).ToContainTextAsync(T.ConfirmAcknowledged);
        await Expect(desk).ToHaveURLAsync(new Regex($"/plans/{planId}\\?done=acknowledged#escalation-{escalationId}$"));
        await Expect(row.Locator(".escalation-state")).ToHaveTextAsync(T.EscalationAcknowledged);
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = T.Acknowledge, Exact = true })).ToHaveCountAsync(0);
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = T.Resolve, Exact = true })).ToHaveCountAsync(1);
        await Chromium.AssertAccessible(desk);
        var acknowledged = (await anna.Get<List<Escalation>>("/api/escalations")).ShouldHaveSingleItem();
        (acknowledged.State, acknowledged.AcknowledgedBy).ShouldBe((EscalationState.Acknowledged, monitor));

        // An auditor reads the plan page but may not respond: no forms for them.
        var audit = await (await chromium.Context(phone: false, language)).NewPageAsync();
        await Chromium.SignIn(audit, site, "audrey", "auditor");
        await audit.GotoAsync($"{site}/plans/{planId}");
        await Expect(audit.Locator($"#escalation-{escalationId} .escalation-state")).ToHaveCountAsync(1);
        await Expect(audit.Locator($"#escalation-{escalationId} form")).ToHaveCountAsync(0);
    }
}
