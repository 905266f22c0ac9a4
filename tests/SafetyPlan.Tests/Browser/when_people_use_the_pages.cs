using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// The journeys of the web application in a real browser (Debian's Chromium) against the real server (its own process,
/// listening on a loopback port) and PostgreSQL, in Dutch and in English: a member reports on a phone, the monitoring
/// professional sees the plan turn red and acknowledges the escalation, the auditor moves the timeline back and sees
/// the plan green. Every page is checked with axe-core; each journey leaves screenshots in artifacts/screenshots.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_people_use_the_pages(ServerFixture server)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly DateTimeOffset MondayFive = new(2027, 1, 4, 17, 0, 0, TimeSpan.FromHours(1));

    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public async Task a_not_kept_report_turns_the_plan_red_the_professional_acknowledges_and_the_auditor_sees_it_green_before(string language)
    {
        var T = UiText.For(language);
        await using var node = await Chromium.StartNode(server, $"safetyplan_pages_{language}", MondayFive);
        var site = node.Address.ToString().TrimEnd('/');

        // A network conference's outcome, through the API: grandmother picks the children up every day at 18:00.
        var anna = node.As("anna", "professional");
        var planId = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan gezin Bakker", family = "Gezin Bakker (Sem en Lotte)", monitorId = "anna", backupId = "bart" })).CreatedId();
        var riet = await (await anna.Post($"/api/plans/{planId}/members", new { name = "Oma Riet", role = "network", email = "riet@example.org" })).CreatedId(); // reachable: no amber for want of a channel
        var pickUp = await (await anna.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Oma Riet haalt Sem en Lotte om 18:00 op bij de opvang.", responsibleMemberId = riet, schedule = new { daily = "18:00" }, grace = "PT2H",
        })).CreatedId();
        await (await anna.Post($"/api/plans/{planId}/bottom-lines", new
        {
            text = "Als Sem en Lotte niet zijn opgehaald, komt de regiehouder direct in actie.", rule = new { kind = "any-breach", agreementId = pickUp }, acknowledgeWithin = "PT2H",
        })).CreatedId();
        (await anna.Post($"/api/plans/{planId}/agree", new { evaluationDue = "2027-01-15" })).EnsureSuccessStatusCode();
        // A second plan of Anna's, named so that it comes first alphabetically: the red plan must still be listed first.
        var calm = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan gezin Aydin", family = "Gezin Aydin (Yusuf)", monitorId = "anna" })).CreatedId();
        var father = await (await anna.Post($"/api/plans/{calm}/members", new { name = "Vader Emre", role = "parent", email = "emre@example.org" })).CreatedId();
        await (await anna.Post($"/api/plans/{calm}/agreements", new { text = "Vader brengt Yusuf naar school.", responsibleMemberId = father, schedule = new { weekly = new[] { "monday", "wednesday" }, at = "08:30" }, grace = "P1D" })).CreatedId();
        (await anna.Post($"/api/plans/{calm}/agree", new { evaluationDue = "2027-03-01" })).EnsureSuccessStatusCode();
        await SetClock(node, MondayFive.AddMinutes(90));

        await using var chromium = await Chromium.Launch();

        // The member, on a phone: Monday's pick-up went well, reported while the network is gone and sent when it is back.
        var phoneContext = await chromium.Context(phone: true, language);
        var phone = await phoneContext.NewPageAsync();
        await Chromium.SignIn(phone, site, "oma-riet", $"member:{riet}", language);
        await Expect(phone).ToHaveURLAsync($"{site}/member");
        await Expect(phone.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(phone.Locator("h1")).ToContainTextAsync("Oma Riet");
        await Chromium.AssertAccessible(phone);

        await phoneContext.SetOfflineAsync(true);
        await phone.Locator("article.agenda").First.GetByRole(AriaRole.Button, new() { Name = T.OutcomeKept, Exact = true }).ClickAsync();
        await Expect(phone.Locator("#offline")).ToContainTextAsync(T.OfflineSaved);
        await phoneContext.SetOfflineAsync(false);
        await Expect(phone.Locator("p.confirm")).ToContainTextAsync(T.ConfirmCheckIn, new() { Timeout = 30_000 });
        await phone.Locator("input[name=score][value='7']").CheckAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = T.Send, Exact = true }).ClickAsync();
        await Expect(phone.Locator("p.confirm")).ToContainTextAsync(T.ConfirmRating);
        var afterKept = await Status(anna, planId);
        (afterKept.Ratings[0].Score, afterKept.Agreements[0].Kept, afterKept.Status).ShouldBe((7, 1, Colour.Green));
        var greenVersion = afterKept.Version;

        // Tuesday: the phone shows today's pick-up open and Monday's as reported; this time it did not happen.
        // (A day later the sign-in of eight hours has expired on the server's clock: she signs in again, as with her link.)
        await SetClock(node, MondayFive.AddDays(1).AddMinutes(90));
        await Chromium.SignIn(phone, site, "oma-riet", $"member:{riet}", language);
        await Expect(phone).ToHaveURLAsync($"{site}/member");
        (await phone.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(360);
        await Expect(phone.Locator("section[aria-labelledby=recent-heading]")).ToContainTextAsync(T.OccurrenceKept);
        await Chromium.AssertAccessible(phone);
        await Chromium.Screenshot(phone, $"member-{language}");
        var today = phone.Locator("section[aria-labelledby=today-heading] article.agenda").First;
        await today.Locator("textarea").FillAsync("Ik was ziek, de buurvrouw heeft ze opgehaald.");
        await today.GetByRole(AriaRole.Button, new() { Name = T.OutcomeNotKept, Exact = true }).ClickAsync();
        await Expect(phone.Locator("p.confirm")).ToContainTextAsync(T.ConfirmCheckIn);
        await Expect(phone.Locator("section[aria-labelledby=today-heading]")).ToContainTextAsync(T.OccurrenceNotKept);
        await Chromium.Screenshot(phone, $"member-confirmed-{language}");

        // The monitoring professional: the plan is red, first in the list, with an open escalation to acknowledge.
        var deskContext = await chromium.Context(phone: false, language);
        var desk = await deskContext.NewPageAsync();
        await Chromium.SignIn(desk, site, "anna", "professional", language);
        await Expect(desk).ToHaveURLAsync($"{site}/");
        var firstRow = desk.Locator("table.plans tbody tr").First;
        await Expect(firstRow).ToContainTextAsync("Veiligheidsplan gezin Bakker");
        await Expect(firstRow).ToContainTextAsync(T.StatusRed);
        await Expect(desk.Locator("table.plans tbody tr").Nth(1)).ToContainTextAsync("Veiligheidsplan gezin Aydin");
        var escalation = desk.Locator("article.escalation").First;
        await Expect(escalation).ToContainTextAsync("Als Sem en Lotte niet zijn opgehaald");
        await Expect(escalation.Locator(".escalation-state")).ToHaveTextAsync(T.EscalationOpen);
        await Chromium.AssertAccessible(desk);
        await Chromium.Screenshot(desk, $"dashboard-{language}");
        await escalation.Locator("input[name=note]").First.FillAsync("Ik bel moeder en oma.");
        await escalation.GetByRole(AriaRole.Button, new() { Name = T.Acknowledge, Exact = true }).ClickAsync();
        await Expect(desk.Locator("p.confirm")).ToContainTextAsync(T.ConfirmAcknowledged);
        await Expect(desk.Locator("article.escalation .escalation-state").First).ToHaveTextAsync(T.EscalationAcknowledged);
        (await anna.Get<List<Escalation>>("/api/escalations")).ShouldHaveSingleItem().State.ShouldBe(EscalationState.Acknowledged);

        // The plan page: compliance per occurrence (one kept, one not kept), the scale, the escalation's response time.
        await desk.GotoAsync($"{site}/plans/{planId}");
        var chart = desk.Locator("svg.chart[role=img]").First;
        await Expect(chart).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(
            $"{System.Text.RegularExpressions.Regex.Escape(T.ChartKept)}: 1.*{System.Text.RegularExpressions.Regex.Escape(T.ChartNotKept)}: 1"));
        await Expect(desk.Locator("section[aria-labelledby=escalations-heading] tbody tr")).ToContainTextAsync(string.Format(T.Minutes, 0));
        await Expect(desk.Locator("section[aria-labelledby=scale-heading] svg.chart circle")).ToHaveCountAsync(1);
        await Chromium.AssertAccessible(desk);
        await Chromium.Screenshot(desk, $"plan-{language}");

        // The auditor: the plan is red now; moved back to the version after Monday's report, it was green.
        var auditContext = await chromium.Context(phone: false, language);
        var audit = await auditContext.NewPageAsync();
        await Chromium.SignIn(audit, site, "audrey", "auditor", language);
        await audit.GotoAsync($"{site}/plans/{planId}/timeline");
        await Expect(audit.Locator("#as-it-stood")).ToContainTextAsync(T.StatusRed);
        await Expect(audit.Locator("#chain-result")).ToHaveClassAsync("confirm");
        await audit.Locator("#version").FillAsync(greenVersion.ToString());
        await audit.WaitForURLAsync($"**version={greenVersion}*");
        await Expect(audit.Locator("#as-it-stood")).ToContainTextAsync(T.StatusGreen);
        await Expect(audit.Locator("table.history tr.later").First).ToBeVisibleAsync();
        await Chromium.AssertAccessible(audit);
        await Chromium.Screenshot(audit, $"timeline-{language}");
    }

    private static async Task SetClock(ServerProcess node, DateTimeOffset now) =>
        (await node.As("clock", "admin").Post("/api/dev/clock", new { now })).EnsureSuccessStatusCode();

    private static Task<PlanStatus> Status(HttpClient client, Guid planId) => client.Get<PlanStatus>($"/api/plans/{planId}");
}
