using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// The professional records a network conference's outcome in the browser (plan, member, danger statement and goal, an
/// agreement with the "on these weekdays at" preset, a bottom line of a chosen rule kind, agreement of the plan) and
/// later an evaluation; the plan the API returns is exactly what was entered. A wrong form is refused in the page's language.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_professional_records_a_network_conference(ServerFixture server)
{
    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public async Task the_forms_record_the_plan_through_the_same_commands_as_the_api(string language)
    {
        var T = UiText.For(language);
        await using var node = await Chromium.StartNode(server, $"safetyplan_conference_{language}", new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(1)));
        var site = node.Address.ToString().TrimEnd('/');
        await using var chromium = await Chromium.Launch();
        var page = await (await chromium.Context(phone: false, language)).NewPageAsync();

        await Chromium.SignIn(page, site, "anna", "professional", language);
        await page.GetByRole(AriaRole.Link, new() { Name = T.NewPlanLink }).ClickAsync();
        await page.Locator("#title").FillAsync("Veiligheidsplan gezin De Boer");
        await page.Locator("#family").FillAsync("Gezin De Boer (Noor, 6 jaar)");
        await page.Locator("#backup").FillAsync("bart");
        await page.GetByRole(AriaRole.Button, new() { Name = T.NewPlanButton }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(T.ConferenceTitle);
        var planId = Guid.Parse(page.Url.Split('/')[^2]);

        await page.Locator("#m-name").FillAsync("Juf Ellen");
        await page.Locator("#m-role").SelectOptionAsync("professional");
        await page.GetByRole(AriaRole.Button, new() { Name = T.AddMember }).ClickAsync();
        await Expect(page.Locator("p.confirm")).ToHaveTextAsync(T.ConferenceSaved);
        await page.Locator("#g-danger").FillAsync("Wij zijn bang dat Noor zonder ontbijt en verzorging naar school komt.");
        await page.Locator("#g-goal").FillAsync("Noor komt elke schooldag verzorgd en met ontbijt op school.");
        await page.GetByRole(AriaRole.Button, new() { Name = T.AddGoal }).ClickAsync();
        await page.Locator("#a-text").FillAsync("Juf Ellen meldt op maandag en donderdag of Noor verzorgd op school was.");
        await page.Locator("#a-goal").SelectOptionAsync(new SelectOptionValue { Label = "Noor komt elke schooldag verzorgd en met ontbijt op school." });
        await page.GetByLabel(T.PresetWeekly).CheckAsync();
        await page.Locator("input[name=weekdays][value=monday]").CheckAsync();
        await page.Locator("input[name=weekdays][value=thursday]").CheckAsync();
        await page.Locator("#a-at").FillAsync("16:00");
        await page.Locator("#a-grace").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = T.AddAgreement }).ClickAsync();
        await Expect(page.Locator("p.confirm")).ToHaveTextAsync(T.ConferenceSaved);

        // A rule of N breaches without its number is refused, in the page's language, and nothing is recorded.
        await page.Locator("#b-text").FillAsync("Twee keer niet verzorgd binnen twee weken: huisbezoek.");
        await page.Locator("#b-kind").SelectOptionAsync("breaches");
        await page.Locator("#b-within").FillAsync("14");
        await page.GetByRole(AriaRole.Button, new() { Name = T.AddBottomLine }).ClickAsync();
        await Expect(page.Locator("p.error")).ToContainTextAsync(language == "nl" ? "'count' moet" : "'count' must");
        await page.Locator("#b-text").FillAsync("Twee keer niet verzorgd binnen twee weken: huisbezoek.");
        await page.Locator("#b-kind").SelectOptionAsync("breaches");
        await page.Locator("#b-count").FillAsync("2");
        await page.Locator("#b-within").FillAsync("14");
        await page.Locator("#b-ack").FillAsync("8");
        await page.GetByRole(AriaRole.Button, new() { Name = T.AddBottomLine }).ClickAsync();
        await Expect(page.Locator("p.confirm")).ToHaveTextAsync(T.ConferenceSaved);
        await Chromium.AssertAccessible(page);
        await page.Locator("#evaluation-due").FillAsync("2027-02-15");
        await page.GetByRole(AriaRole.Button, new() { Name = T.AgreeButton }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{site}/plans/{planId}");

        var anna = node.As("anna", "professional");
        var plan = await anna.Get<PlanStatus>($"/api/plans/{planId}");
        plan.State.ShouldBe(State.Active);
        plan.BackupId.ShouldBe("bart");
        plan.Members[0].Role.ShouldBe("professional");
        var goal = plan.Goals.ShouldHaveSingleItem();
        var agreement = plan.Agreements[0];
        agreement.GoalId.ShouldBe(goal.Id);
        agreement.Schedule.Weekly.ShouldBe(["monday", "thursday"]);
        (agreement.Schedule.At, agreement.Grace).ShouldBe(("16:00", "PT3H"));
        var rule = plan.BottomLines.ShouldHaveSingleItem().Rule;
        (rule.Kind, rule.Count).ShouldBe(("breaches", 2));
        plan.NextEvaluationDue.ShouldBe(new DateOnly(2027, 2, 15));

        // The evaluation, on the plan page.
        await page.Locator("#outcome").SelectOptionAsync("continue");
        await page.Locator("#notes").FillAsync("De afspraken werken; Noor komt verzorgd op school.");
        await page.Locator("#next-evaluation").FillAsync("2027-03-29");
        await page.GetByRole(AriaRole.Button, new() { Name = T.RecordEvaluationButton }).ClickAsync();
        await Expect(page.Locator("p.confirm")).ToHaveTextAsync(T.ConfirmEvaluation);
        await Chromium.AssertAccessible(page);
        (await anna.Get<PlanStatus>($"/api/plans/{planId}")).NextEvaluationDue.ShouldBe(new DateOnly(2027, 3, 29));
        (await anna.Get<List<HistoryEntry>>($"/api/plans/{planId}/history?type=evaluation-recorded")).ShouldHaveSingleItem();
    }
}
