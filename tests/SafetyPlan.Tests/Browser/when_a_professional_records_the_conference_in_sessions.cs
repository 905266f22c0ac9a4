using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// A referred plan waits on the dashboard for its conference; the professional records two sessions on the conference
/// page (the day, who was there by checkbox, the professionals, the notes) and agrees the plan at the last. The API
/// returns exactly the sessions entered, the timeline shows them, and the pages pass axe-core.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_professional_records_the_conference_in_sessions(ServerFixture server)
{
    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public async Task the_conference_page_records_each_session_and_the_plan_is_agreed_at_the_last(string language)
    {
        var T = UiText.For(language);
        await using var node = await Chromium.StartNode(server, $"safetyplan_sessions_{language}", new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(1)));
        var site = node.Address.ToString().TrimEnd('/');
        var anna = node.As("anna", "professional");
        var planId = await (await anna.Post("/api/plans", new
        {
            title = "Veiligheidsplan gezin Smit", family = "Gezin Smit", monitorId = "anna", backupId = "bart",
            referral = new { by = "Veilig Thuis", receivedOn = "2026-12-28", conferenceWithin = "P4W" },
        })).CreatedId();
        var mother = await (await anna.Post($"/api/plans/{planId}/members", new { name = "Moeder Smit", role = "parent" })).CreatedId();
        var neighbour = await (await anna.Post($"/api/plans/{planId}/members", new { name = "Buurman Kees", role = "network" })).CreatedId();
        await (await anna.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Buurman Kees kijkt elke avond om 19:00 even binnen.", responsibleMemberId = neighbour, schedule = new { daily = "19:00" }, grace = "PT2H",
        })).CreatedId();

        await using var chromium = await Chromium.Launch();
        var page = await (await chromium.Context(phone: false, language)).NewPageAsync();
        await Chromium.SignIn(page, site, "anna", "professional", language);

        // The dashboard: the plan waits for its conference, due by 25 January (28 December + four weeks).
        var waiting = page.Locator("section[aria-labelledby=conference-waiting-heading]");
        await Expect(waiting.Locator("h2")).ToHaveTextAsync(T.WaitingForConference);
        await Expect(waiting.GetByRole(AriaRole.Listitem)).ToContainTextAsync("Veiligheidsplan gezin Smit");
        await Chromium.AssertAccessible(page);

        // The first session, today: the mother and both professionals.
        await page.GotoAsync($"{site}/plans/{planId}/conference");
        await Expect(page.Locator("#s-held-on")).ToHaveValueAsync("2027-01-04");
        await page.Locator($"input[name=membersPresent][value='{mother}']").CheckAsync();
        await page.Locator("#s-professionals").FillAsync("anna, bart");
        await page.Locator("#s-notes").FillAsync("Zorgen en krachten in kaart gebracht.");
        await page.GetByRole(AriaRole.Button, new() { Name = T.RecordSessionButton }).ClickAsync();
        await Expect(page.Locator("p.confirm")).ToHaveTextAsync(T.ConferenceSaved);
        await Expect(page.Locator("section[aria-labelledby=sessions-heading] li")).ToContainTextAsync("Moeder Smit");
        await Chromium.AssertAccessible(page);

        // A week later the second session, with both members; a day in the future is refused in the page's language.
        (await node.As("clock", "admin").Post("/api/dev/clock", new { now = new DateTimeOffset(2027, 1, 11, 10, 0, 0, TimeSpan.FromHours(1)) })).EnsureSuccessStatusCode();
        await Chromium.SignIn(page, site, "anna", "professional", language); // a page session lasts hours on the application's clock, not a week
        await page.GotoAsync($"{site}/plans/{planId}/conference");
        await page.Locator("#s-held-on").FillAsync("2027-01-12");
        await page.GetByRole(AriaRole.Button, new() { Name = T.RecordSessionButton }).ClickAsync();
        await Expect(page.Locator("p.error")).ToContainTextAsync(language == "nl" ? "mag niet na vandaag" : "may not be after today");
        await page.Locator("#s-held-on").FillAsync("2027-01-11");
        await page.Locator($"input[name=membersPresent][value='{mother}']").CheckAsync();
        await page.Locator($"input[name=membersPresent][value='{neighbour}']").CheckAsync();
        await page.Locator("#s-professionals").FillAsync("anna");
        await page.Locator("#s-notes").FillAsync("Afspraken vastgesteld.");
        await page.GetByRole(AriaRole.Button, new() { Name = T.RecordSessionButton }).ClickAsync();
        await Expect(page.Locator("p.confirm")).ToHaveTextAsync(T.ConferenceSaved);
        await Expect(page.Locator("section[aria-labelledby=sessions-heading] li")).ToHaveCountAsync(2);
        await Chromium.Screenshot(page, $"conference-{language}", from: page.Locator("section[aria-labelledby=sessions-heading]"));

        // At the last session, the network agrees the plan.
        await page.Locator("#evaluation-due").FillAsync("2027-03-01");
        await page.GetByRole(AriaRole.Button, new() { Name = T.AgreeButton }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{site}/plans/{planId}");

        var plan = await anna.Get<PlanStatus>($"/api/plans/{planId}");
        plan.State.ShouldBe(State.Active);
        plan.ConferenceDue.ShouldBeNull();
        plan.ConferenceSessions.ShouldNotBeNull()
            .Select(s => $"{s.HeldOn:yyyy-MM-dd} | {string.Join(",", s.MembersPresent.Order())} | {string.Join(",", s.ProfessionalsPresent)} | {s.Notes}").ShouldBe([
                $"2027-01-04 | {mother} | anna,bart | Zorgen en krachten in kaart gebracht.",
                $"2027-01-11 | {string.Join(",", new[] { mother, neighbour }.Order())} | anna | Afspraken vastgesteld.",
            ]);

        await page.GotoAsync($"{site}/plans/{planId}/timeline");
        await Expect(page.Locator("main")).ToContainTextAsync("Afspraken vastgesteld.");
        await Expect(page.Locator("main")).ToContainTextAsync("Veilig Thuis");
        await Chromium.AssertAccessible(page);

        await page.GotoAsync($"{site}/");
        await Expect(page.Locator("section[aria-labelledby=conference-waiting-heading]")).ToContainTextAsync(T.NoPlansWaitingForConference);
    }
}
