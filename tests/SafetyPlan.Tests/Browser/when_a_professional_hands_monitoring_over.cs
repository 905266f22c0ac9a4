using System.Net.Http.Json;
using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// Issue 16, 3, on the plan page: the monitor hands monitoring over in Dutch (choosing the new monitor and backup from the
/// organisation's professionals, with a note; the backup field keeps the current backup by default); the plan the API returns has them, with its open escalation; the new
/// monitor then sees the page in English with who monitored when, and the old monitor no longer sees the form. Both
/// pages pass axe-core. A server process of its own (a real address for Chromium), on the manual clock.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_professional_hands_monitoring_over(ServerFixture server)
{
    private sealed record Held(Guid Id, Guid PlanId, string MonitorId, string? BackupId, string? RaisedToMonitorId);

    [Fact]
    public async Task the_plan_page_hands_over_through_the_same_command_as_the_api_in_dutch_and_english()
    {
        var (nl, en) = (UiText.For("nl"), UiText.For("en"));
        await using var node = await Chromium.StartNode(server, "safetyplan_handover_page", new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(1)));
        var site = node.Address.ToString().TrimEnd('/');
        var admin = node.As("admin", "admin");
        foreach (var (id, name) in new[] { ("anna", "Anna de Vries"), ("bart", "Bart Jansen"), ("carla", "Carla Smit"), ("dirk", "Dirk Bos") })
            (await admin.PutAsync($"/api/users/{id}", JsonContent.Create(new { name, email = $"{id}@jeugdzorg.test", language = "nl", roles = new[] { "professional" } })))
                .EnsureSuccessStatusCode();
        var anna = node.As("anna", "professional");
        var plan = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan De Boer", family = "De Boer", monitorId = "anna", backupId = "bart" })).CreatedId();
        var member = await (await anna.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await anna.Post($"/api/plans/{plan}/agreements", new { text = "Oma haalt op", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H" })).CreatedId();
        await (await anna.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ernstige zorg", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT4H" })).CreatedId();
        (await anna.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-03-01" })).EnsureSuccessStatusCode();
        (await anna.Post($"/api/plans/{plan}/concerns", new { clientId = "c1", memberId = member, text = "Zorg", severity = "high" })).EnsureSuccessStatusCode();

        await using var chromium = await Chromium.Launch();
        var page = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(page, site, "anna", "professional", "nl");
        await page.GotoAsync($"{site}/plans/{plan}");
        await Expect(page.Locator("#handover-heading")).ToHaveTextAsync(nl.HandoverHeading);
        await Chromium.AssertAccessible(page);
        await page.Locator("#to-monitor").SelectOptionAsync(new SelectOptionValue { Label = "Carla Smit (carla)" });
        await page.Locator("#to-backup").SelectOptionAsync(new SelectOptionValue { Label = "Dirk Bos (dirk)" });
        await page.Locator("#handover-note").FillAsync("Oma belt liever 's avonds; school weet ervan.");
        await Chromium.Screenshot(page, "handover-nl", from: page.Locator("section[aria-labelledby=monitors-heading]"));
        await page.GetByRole(AriaRole.Button, new() { Name = nl.HandOverButton }).ClickAsync();
        // The old monitor is no longer of the plan (and not of its team): back to their dashboard, and the plan refuses them.
        await Expect(page).ToHaveURLAsync($"{site}/");
        var refused = await page.GotoAsync($"{site}/plans/{plan}");
        refused!.Status.ShouldBe(403);

        var carla = node.As("carla", "professional");
        var status = await carla.Get<PlanStatus>($"/api/plans/{plan}");
        (status.MonitorId, status.BackupId).ShouldBe(("carla", "dirk"));
        var history = await carla.Get<List<HistoryEntry>>($"/api/plans/{plan}/history?type=monitoring-handed-over");
        history.ShouldHaveSingleItem().Data.GetProperty("note").GetString().ShouldBe("Oma belt liever 's avonds; school weet ervan.");
        (await carla.Get<List<Held>>("/api/escalations?state=open")).ShouldHaveSingleItem()
            .ShouldBe(new Held(history[0].Data.GetProperty("escalations")[0].GetGuid(), plan, "carla", "dirk", "anna"));
        (await anna.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);

        // The new monitor, in English: who monitored when, and the form to hand over again.
        var english = await (await chromium.Context(phone: false, "en")).NewPageAsync();
        await Chromium.SignIn(english, site, "carla", "professional", "en");
        await english.GotoAsync($"{site}/plans/{plan}");
        await Expect(english.Locator("#monitors-heading")).ToHaveTextAsync(en.MonitorsHeading);
        await Expect(english.Locator("section[aria-labelledby=monitors-heading] li")).ToHaveCountAsync(2);
        await Expect(english.Locator("section[aria-labelledby=monitors-heading] li").Nth(0)).ToContainTextAsync("anna, from ");
        await Expect(english.Locator("section[aria-labelledby=monitors-heading] li").Nth(1)).ToContainTextAsync("carla, since ");
        await Expect(english.Locator("#handover-heading")).ToHaveTextAsync(en.HandoverHeading);
        await Expect(english.Locator("#to-monitor option:checked")).ToHaveTextAsync("Carla Smit (carla)");
        await Chromium.AssertAccessible(english);

        // The backup field keeps the current backup unless another is chosen.
        await Expect(english.Locator("#to-backup option:checked")).ToHaveTextAsync($"{en.KeepBackupOption} (dirk)");

        // A wrong form (the backup is the new monitor) is refused in the page's language, and nothing is recorded.
        await english.Locator("#to-monitor").SelectOptionAsync("bart");
        await english.Locator("#to-backup").SelectOptionAsync("bart");
        await english.Locator("#handover-note").FillAsync("Back to Bart");
        await english.GetByRole(AriaRole.Button, new() { Name = en.HandOverButton }).ClickAsync();
        await Expect(english.Locator("p.error")).ToContainTextAsync("The backup must be someone other than the new monitoring professional.");
        (await carla.Get<List<HistoryEntry>>($"/api/plans/{plan}/history?type=monitoring-handed-over")).Count.ShouldBe(1);

        // Handing over to Bart with the backup field left as it is keeps Dirk as the backup.
        await english.Locator("#to-monitor").SelectOptionAsync("bart");
        await Expect(english.Locator("#to-backup option:checked")).ToHaveTextAsync($"{en.KeepBackupOption} (dirk)");
        await english.Locator("#handover-note").FillAsync("Bart takes over");
        await english.GetByRole(AriaRole.Button, new() { Name = en.HandOverButton }).ClickAsync();
        await Expect(english).ToHaveURLAsync($"{site}/");
        var kept = await node.As("bart", "professional").Get<PlanStatus>($"/api/plans/{plan}");
        (kept.MonitorId, kept.BackupId).ShouldBe(("bart", "dirk"));
    }
}
