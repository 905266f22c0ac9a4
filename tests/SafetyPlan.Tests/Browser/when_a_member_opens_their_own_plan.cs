using System.Text.Json;
using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// The member page as the member's own plan and app, in Debian's Chromium at 360 px against a real server process: signed
/// in with their personal link, the member sees "our plan" in plain words (without other members' contact details), this
/// week's agreements with their state, their reminders setting, their calendar address and the push opt-in; axe finds no
/// serious violation; nothing is installed and no permission is granted; the manifest and the service worker are served
/// with their content types and the Content Security Policy allows them (docs/scheduling-and-notifications.md, "The member page as an app").
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_opens_their_own_plan(ServerFixture server)
{
    private static readonly DateTimeOffset MondayFive = new(2027, 1, 4, 17, 0, 0, TimeSpan.FromHours(1));

    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public async Task the_phone_shows_our_plan_this_week_the_reminders_the_calendar_link_and_the_push_opt_in(string language)
    {
        var T = UiText.For(language);
        await using var node = await Chromium.StartNode(server, $"safetyplan_member_plan_{language}", MondayFive);
        var site = node.Address.ToString().TrimEnd('/');

        var anna = node.As("anna", "professional");
        var planId = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan gezin Bakker", family = "Gezin Bakker (Sem)", monitorId = "anna" })).CreatedId();
        var riet = await (await anna.Post($"/api/plans/{planId}/members", new { name = "Oma Riet", role = "network" })).CreatedId();
        var sanne = await (await anna.Post($"/api/plans/{planId}/members", new { name = "Moeder Sanne", role = "parent", email = "sanne@example.org", phone = "0687654321" })).CreatedId();
        var goal = await (await anna.Post($"/api/plans/{planId}/goals", new { danger = "Zorgen over de avonden", goal = "Sem is elke avond veilig thuis." })).CreatedId();
        var pickUp = await (await anna.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Oma Riet haalt Sem om 18:00 op.", responsibleMemberId = riet, goalId = goal, schedule = new { daily = "18:00" }, grace = "PT2H", reportFrom = "P1D",
        })).CreatedId();
        await (await anna.Post($"/api/plans/{planId}/agreements", new
        {
            text = "Moeder Sanne belt oma als ze later is.", responsibleMemberId = sanne, schedule = new { weekly = new[] { "friday" }, at = "20:00" }, grace = "PT2H",
            watchers = new[] { riet },
        })).CreatedId();
        (await anna.Post($"/api/plans/{planId}/agree", new { evaluationDue = "2027-03-01" })).EnsureSuccessStatusCode();
        // Monday's pick-up was reported (as kept) ahead; mother's rating with a note is hers alone.
        var rietApi = node.As("oma", $"member:{riet}");
        (await rietApi.Post($"/api/plans/{planId}/check-ins", new { clientId = "c-1", agreementId = pickUp, memberId = riet, outcome = "kept" })).EnsureSuccessStatusCode();
        (await node.As("sanne", $"member:{sanne}").Post($"/api/plans/{planId}/ratings", new { clientId = "r-1", memberId = sanne, score = 3, note = "Moeilijke week thuis." })).EnsureSuccessStatusCode();
        var issued = await (await anna.Post($"/api/plans/{planId}/members/{riet}/links", new { })).Json();
        var linkPath = new Uri(issued.GetProperty("url").GetString()!).AbsolutePath;

        await using var chromium = await Chromium.Launch();
        var context = await chromium.Context(phone: true, language);
        var phone = await context.NewPageAsync();
        var violations = new List<string>();
        phone.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (violations) violations.Add($"{phone.Url}: {message.Text}");
        };
        await phone.GotoAsync(site + linkPath);
        await Expect(phone).ToHaveURLAsync($"{site}/member");
        if (language == "en")
        {
            await phone.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
            await Expect(phone.Locator("html")).ToHaveAttributeAsync("lang", "en");
        }
        await phone.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // Our plan: the goal, every agreement with who and when, in plain words; the member's own part said as "you".
        var ourPlan = phone.Locator("#our-plan");
        await Expect(ourPlan.Locator("h2")).ToHaveTextAsync(T.OurPlanHeading);
        await Expect(ourPlan).ToContainTextAsync("Sem is elke avond veilig thuis.");
        await Expect(ourPlan).ToContainTextAsync(T.OurPlanYou);
        await Expect(ourPlan).ToContainTextAsync(string.Format(T.OurPlanWho, "Moeder Sanne"));
        await Expect(ourPlan).ToContainTextAsync(string.Format(T.OurPlanWhen, string.Format(T.ScheduleDaily, "18:00")));
        await Expect(ourPlan).ToContainTextAsync(T.OurPlanYouWatch);
        // What a member sees: no other member's contact details, ratings or notes.
        var html = await phone.ContentAsync();
        html.ShouldNotContain("sanne@example.org");
        html.ShouldNotContain("0687654321");
        html.ShouldNotContain("Moeilijke week thuis.");

        // This week: Monday's pick-up reported kept, the six days after it still to come; mother's call is not Oma's to report.
        var week = phone.Locator("#this-week li");
        await Expect(week).ToHaveCountAsync(7);
        await Expect(week.First).ToContainTextAsync(T.OccurrenceKept);
        await Expect(week.Nth(1)).ToContainTextAsync(T.WeekToCome);
        await Expect(phone.Locator("#this-week")).Not.ToContainTextAsync("Moeder Sanne belt");

        // The reminders setting, changed from the page by the member herself.
        await Expect(phone.Locator("section[aria-labelledby=reminders-heading]")).ToContainTextAsync(T.RemindersAreOn);
        await phone.GetByRole(AriaRole.Button, new() { Name = T.RemindersTurnOff, Exact = true }).ClickAsync();
        await Expect(phone.Locator("p.confirm")).ToContainTextAsync(T.ConfirmReminders);
        await Expect(phone.Locator("section[aria-labelledby=reminders-heading]")).ToContainTextAsync(T.RemindersAreOff);

        // The calendar link: the personal feed, as webcal: and as an address to copy; it answers iCalendar.
        var calendar = await phone.Locator("#calendar-url").InputValueAsync();
        // A calendar-only token of the same link: calendar services keep the address, so it must not sign anyone in.
        calendar.ShouldStartWith($"{site}/l/");
        calendar.ShouldEndWith("/calendar.ics");
        calendar.ShouldNotBe($"{site}{linkPath}/calendar.ics");
        (await phone.APIRequest.GetAsync(calendar[..^"/calendar.ics".Length], new() { MaxRedirects = 0 })).Status.ShouldBe(401);
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = T.CalendarSubscribe })).ToHaveAttributeAsync("href", "webcal://" + calendar["http://".Length..]);
        var feed = await phone.APIRequest.GetAsync(calendar);
        (feed.Status, feed.Headers["content-type"]).ShouldBe((200, "text/calendar; charset=utf-8"));
        (await feed.TextAsync()).ShouldContain("Oma Riet haalt Sem om 18:00 op.");

        // The push opt-in: the button is there and the service worker registered, but nothing is asked or granted.
        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = T.PushTurnOn, Exact = true })).ToBeVisibleAsync();
        await Expect(phone.Locator("#push-state")).ToHaveTextAsync(T.PushAreOff);
        await Expect(phone.Locator("#install-hint")).ToContainTextAsync(T.InstallHint[..10]);
        (await phone.EvaluateAsync<string>("Notification.permission")).ShouldBe("default");
        (await phone.EvaluateAsync<string>("navigator.serviceWorker.ready.then(r => r.scope)")).ShouldBe($"{site}/member"); // not the professional pages on a shared device
        (await phone.EvaluateAsync<bool>("navigator.serviceWorker.ready.then(r => r.pushManager.getSubscription()).then(s => s === null)")).ShouldBeTrue();

        // What the button sends once permission is granted: a subscription for this member, with the page's antiforgery
        // token (refused without it), and its removal. Made here with a key pair of the page's own, since no push
        // service is reachable from the test.
        var answers = await phone.EvaluateAsync<int[]>("""
            async () => {
              const token = document.getElementById('push').dataset.apiToken;
              const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
              const b64 = bytes => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
              const keys = { p256dh: b64(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))), auth: b64(crypto.getRandomValues(new Uint8Array(16))) };
              const endpoint = location.origin + '/push/member-page-test';
              const call = (method, body, withToken) => fetch('/api/me/push-subscriptions', { method, credentials: 'same-origin', body: JSON.stringify(body),
                headers: Object.assign({ 'Content-Type': 'application/json' }, withToken ? { RequestVerificationToken: token } : {}) }).then(r => r.status);
              return [await call('POST', { endpoint, keys }, false), await call('POST', { endpoint, keys }, true), await call('DELETE', { endpoint }, true)];
            }
            """);
        answers.ShouldBe([403, 201, 204]);

        (await phone.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(360);
        await Chromium.AssertAccessible(phone);
        await Chromium.Screenshot(phone, $"member-plan-{language}");

        // The app's parts: the manifest and the service worker, with their content types, allowed by the policy.
        var manifest = await phone.APIRequest.GetAsync($"{site}/manifest.webmanifest");
        (manifest.Status, manifest.Headers["content-type"]).ShouldBe((200, "application/manifest+json; charset=utf-8"));
        var app = JsonDocument.Parse(await manifest.TextAsync()).RootElement;
        (app.GetProperty("start_url").GetString(), app.GetProperty("display").GetString()).ShouldBe(("/member", "standalone"));
        foreach (var icon in app.GetProperty("icons").EnumerateArray())
        {
            var image = await phone.APIRequest.GetAsync(site + icon.GetProperty("src").GetString());
            (image.Status, image.Headers["content-type"]).ShouldBe((200, "image/png"));
        }
        var worker = await phone.APIRequest.GetAsync($"{site}/sw.js");
        (worker.Status, worker.Headers["content-type"]).ShouldBe((200, "text/javascript; charset=utf-8"));
        var body = await worker.TextAsync();
        body.ShouldContain("showNotification");
        body.ShouldContain("notificationclick");
        var policy = (await phone.APIRequest.GetAsync($"{site}/member")).Headers["content-security-policy"];
        policy.ShouldContain("worker-src 'self'");
        policy.ShouldContain("manifest-src 'self'");
        violations.ShouldBeEmpty();
    }
}
