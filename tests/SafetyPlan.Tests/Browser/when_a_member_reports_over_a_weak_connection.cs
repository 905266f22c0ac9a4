using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// In Debian's Chromium against a real server process: no page breaks its Content Security Policy (Chromium reports
/// each violation as a console error), and the member page's offline queue keeps a report through every answer it
/// could retry (no network, 503, 429) in sessionStorage only, drops it with a visible message on a definite refusal,
/// and keeps no note once the server has answered (docs/security.md, "The member's offline queue").
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_reports_over_a_weak_connection(ServerFixture server)
{
    private static readonly DateTimeOffset MondayFive = new(2027, 1, 4, 17, 0, 0, TimeSpan.FromHours(1));
    private const string Pending = "safetyplan.pending";

    private sealed record Case(ServerProcess Node, string Site, Guid PlanId, Guid MemberId, HttpClient Professional);

    private async Task<Case> Start(string database)
    {
        var node = await Chromium.StartNode(server, database, MondayFive);
        var anna = node.As("anna", "professional");
        var planId = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan gezin Smit", family = "Gezin Smit (Sem)", monitorId = "anna" })).CreatedId();
        var member = await (await anna.Post($"/api/plans/{planId}/members", new { name = "Oma Riet", role = "network" })).CreatedId();
        await (await anna.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Oma Riet haalt Sem om 18:00 op.", responsibleMemberId = member, schedule = new { daily = "18:00" }, grace = "PT2H", reportFrom = "P1D",
        })).CreatedId();
        (await anna.Post($"/api/plans/{planId}/agree", new { evaluationDue = "2027-03-01" })).EnsureSuccessStatusCode();
        return new Case(node, node.Address.ToString().TrimEnd('/'), planId, member, anna);
    }

    [Fact]
    public async Task no_page_violates_the_content_security_policy()
    {
        var c = await Start("safetyplan_csp");
        await using var node = c.Node;
        (await c.Node.As("oma", $"member:{c.MemberId}").Post($"/api/plans/{c.PlanId}/ratings",
            new { clientId = "r-1", memberId = c.MemberId, score = 4, note = "Gaat wel." })).EnsureSuccessStatusCode();
        await using var chromium = await Chromium.Launch();
        var violations = new List<string>();

        var phone = await Page(chromium, phone: true, violations);
        await Chromium.SignIn(phone, c.Site, "oma-riet", $"member:{c.MemberId}");
        await Expect(phone).ToHaveURLAsync($"{c.Site}/member");
        await Expect(phone.Locator("h1")).ToContainTextAsync("Oma Riet");

        var desk = await Page(chromium, phone: false, violations);
        await Chromium.SignIn(desk, c.Site, "anna", "professional");
        foreach (var path in new[] { "/", $"/plans/{c.PlanId}", $"/plans/{c.PlanId}/timeline", $"/plans/{c.PlanId}/conference", "/plans/new",
                     $"/api/plans/{c.PlanId}/export?format=html" })
        {
            var response = await desk.GotoAsync(c.Site + path);
            response!.Ok.ShouldBeTrue(path);
            await desk.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        // The scale chart's legend and the case file's style are styled without breaking the policy.
        await desk.GotoAsync($"{c.Site}/plans/{c.PlanId}");
        await desk.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await desk.GotoAsync($"{c.Site}/api/plans/{c.PlanId}/export?format=html");
        (await desk.EvaluateAsync<string>("getComputedStyle(document.querySelector('th')).backgroundColor")).ShouldBe("rgb(238, 238, 238)");

        violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_report_survives_every_answer_it_could_retry_and_leaves_the_phone_once_accepted()
    {
        var c = await Start("safetyplan_queue_kept");
        await using var node = c.Node;
        var T = UiText.For("nl");
        await using var chromium = await Chromium.Launch();
        var violations = new List<string>();
        var phone = await Page(chromium, phone: true, violations);
        await Chromium.SignIn(phone, c.Site, "oma-riet", $"member:{c.MemberId}");
        await Expect(phone).ToHaveURLAsync($"{c.Site}/member");

        // The server is unavailable, then busy, then takes it.
        var answers = new Queue<int>([503, 429, 408]);
        await phone.RouteAsync(new Regex("handler=CheckIn"), async route =>
        {
            if (answers.TryDequeue(out var status)) await route.FulfillAsync(new() { Status = status, Body = "" });
            else await route.ContinueAsync();
        });
        var today = phone.Locator("article.agenda").First;
        await today.Locator("textarea").FillAsync("Sem had koorts, ik ben bij hem gebleven.");
        await today.GetByRole(AriaRole.Button, new() { Name = T.OutcomeKept, Exact = true }).ClickAsync();
        await Expect(phone.Locator("#offline")).ToContainTextAsync(T.OfflineSaved);
        (await Stored(phone, "sessionStorage")).ShouldContain("Sem had koorts");
        (await Stored(phone, "localStorage")).ShouldBeNull();

        foreach (var _ in new[] { 429, 408 })
        {
            await Flush(phone);
            (await Stored(phone, "sessionStorage")).ShouldContain("Sem had koorts");
        }
        // Offline as well: kept.
        await phone.Context.SetOfflineAsync(true);
        await phone.EvaluateAsync("window.dispatchEvent(new Event('online'))");
        await phone.WaitForTimeoutAsync(500);
        (await Stored(phone, "sessionStorage")).ShouldContain("Sem had koorts");
        await phone.Context.SetOfflineAsync(false);

        await phone.EvaluateAsync("window.dispatchEvent(new Event('online'))");
        await Expect(phone.Locator("p.confirm")).ToContainTextAsync(T.ConfirmCheckIn, new() { Timeout = 30_000 });
        (await Stored(phone, "sessionStorage")).ShouldBeNull();
        (await Stored(phone, "localStorage")).ShouldBeNull();
        var status = await (await c.Professional.GetAsync($"/api/plans/{c.PlanId}")).Json();
        status.GetProperty("agreements")[0].GetProperty("kept").GetInt32().ShouldBe(1);
        violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_report_the_server_refuses_for_good_is_dropped_with_a_message()
    {
        var c = await Start("safetyplan_queue_refused");
        await using var node = c.Node;
        var T = UiText.For("nl");
        await using var chromium = await Chromium.Launch();
        var phone = await Page(chromium, phone: true, []);
        await Chromium.SignIn(phone, c.Site, "oma-riet", $"member:{c.MemberId}");
        await Expect(phone).ToHaveURLAsync($"{c.Site}/member");

        await phone.Context.SetOfflineAsync(true);
        await phone.Locator("input[name=score][value='3']").CheckAsync();
        await phone.Locator("#rating-note").FillAsync("Het gaat niet goed met Sem.");
        await phone.GetByRole(AriaRole.Button, new() { Name = T.Send, Exact = true }).ClickAsync();
        await Expect(phone.Locator("#offline")).ToContainTextAsync(T.OfflineSaved);

        // Meanwhile its clientId was used for another kind of report: the server refuses the rating for good (409).
        var clientId = await phone.EvaluateAsync<string>($"JSON.parse(sessionStorage.getItem('{Pending}'))[0].fields.find(f => f[0] === 'clientId')[1]");
        (await c.Node.As("oma", $"member:{c.MemberId}").Post($"/api/plans/{c.PlanId}/concerns",
            new { clientId, memberId = c.MemberId, text = "Zorg", severity = "low" })).EnsureSuccessStatusCode();

        await phone.Context.SetOfflineAsync(false);
        await phone.EvaluateAsync("window.dispatchEvent(new Event('online'))");
        await Expect(phone.Locator("#offline")).ToContainTextAsync(T.OfflineRefused);
        await Expect(phone.Locator("#offline")).ToHaveAttributeAsync("role", "alert");
        (await Stored(phone, "sessionStorage")).ShouldBeNull();
        (await Stored(phone, "localStorage")).ShouldBeNull();
    }

    /// <summary>Sends the queue now and waits for the server's (or the route's) answer.</summary>
    private static async Task Flush(IPage page) =>
        await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync("window.dispatchEvent(new Event('online'))"), r => r.Url.Contains("handler=CheckIn"));

    private static Task<string?> Stored(IPage page, string storage) => page.EvaluateAsync<string?>($"{storage}.getItem('{Pending}')");

    /// <summary>A page whose console errors about the Content Security Policy are collected in <paramref name="violations"/>.</summary>
    private static async Task<IPage> Page(Chromium chromium, bool phone, List<string> violations)
    {
        var page = await (await chromium.Context(phone)).NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (violations) violations.Add($"{page.Url}: {message.Text}");
        };
        return page;
    }
}
