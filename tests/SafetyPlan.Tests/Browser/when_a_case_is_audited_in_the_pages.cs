using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// Issue 16, the pages of the practice around the plan. The collaborative case audit: an auditor opens it from the plan
/// page in Dutch, scores, writes and signs; the professional signs in English; the page then shows it signed and
/// read-only, its print view comes in both languages, and the plan's backup (who may read the plan, not the audit) gets
/// 403. The new-plan page sends the referral with the draft. Every page passes axe-core; the API reads back exactly what
/// the pages sent. A server process of its own (a real address for Chromium), on the manual clock.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_case_is_audited_in_the_pages(ServerFixture server)
{
    private static Task<ServerProcess> Started(ServerFixture server, string database) =>
        Chromium.StartNode(server, database, new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(1)));

    [Fact]
    public async Task the_auditor_and_the_professional_write_and_sign_it_and_then_it_is_read_only_and_closed_to_others()
    {
        var (nl, en) = (UiText.For("nl"), UiText.For("en"));
        await using var node = await Started(server, "safetyplan_case_audit_pages");
        var site = node.Address.ToString().TrimEnd('/');
        var anna = node.As("anna", "professional");
        var plan = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan De Wit", family = "De Wit", monitorId = "anna", backupId = "bart" })).CreatedId();
        var olga = node.As("olga", "auditor");
        await HistoryToLookBackOn(node, anna, plan);

        await using var chromium = await Chromium.Launch();
        var auditor = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(auditor, site, "olga", "auditor", "nl");
        await auditor.GotoAsync($"{site}/plans/{plan}");
        await Expect(auditor.Locator("#case-audits-heading")).ToHaveTextAsync(nl.CaseAuditsHeading);
        await Expect(auditor.Locator("#audit-professional option")).ToHaveTextAsync(new[] { "anna", "bart" });
        await Chromium.AssertAccessible(auditor);
        await auditor.Locator("#audit-professional").SelectOptionAsync("anna");
        await auditor.GetByRole(AriaRole.Button, new() { Name = nl.OpenCaseAuditButton }).ClickAsync();
        await Expect(auditor).ToHaveURLAsync(new Regex($"/plans/{plan}/case-audits/[0-9a-f-]{{36}}$"));
        var audit = Guid.Parse(auditor.Url[^36..]);
        var url = $"/plans/{plan}/case-audits/{audit}";
        await Expect(auditor.Locator("h1")).ToHaveTextAsync(nl.CaseAuditTitle);
        await Expect(auditor.Locator("fieldset legend").First).ToHaveTextAsync(
            "Waren de gevaarsverklaringen en veiligheidsdoelen duidelijk en geschreven als zichtbaar gedrag?");
        await Chromium.AssertAccessible(auditor);

        await auditor.Locator("#score-family-heard").SelectOptionAsync("4");
        await auditor.Locator("#note-family-heard").FillAsync("Moeder kwam goed aan het woord.");
        await auditor.Locator("#score-bottom-lines-specific").SelectOptionAsync("2");
        await auditor.Locator("#reflection").FillAsync("We belden de school te laat.");
        await auditor.Locator("#learning-points").FillAsync("Eerder het netwerk bellen.");
        await auditor.GetByRole(AriaRole.Button, new() { Name = nl.SaveAuditButton }).ClickAsync();
        await Expect(auditor.Locator("p.confirm")).ToHaveTextAsync(nl.ConferenceSaved);
        // The facts the screenshot shows come from the history above (docs/screenshots/case-audit.png).
        await Expect(auditor.Locator("#facts-agreements tr").Nth(1)).ToContainTextAsync("Oma Riet haalt de kinderen om 15:00 op");
        await Expect(auditor.Locator("#facts-sessions tr").Nth(1)).ToContainTextAsync("Moeder De Wit");
        await Chromium.Screenshot(auditor, "case-audit-nl", from: auditor.Locator("body"));
        var written = await olga.Get<CaseAudit>($"/api{url}");
        written.Answers.Keys.ShouldBe(["bottom-lines-specific", "family-heard"], ignoreOrder: true); // the questions left empty stay unanswered
        (written.Answers["family-heard"], written.Answers["bottom-lines-specific"]).ShouldBe((new CaseAuditAnswer(4, "Moeder kwam goed aan het woord."), new CaseAuditAnswer(2, null)));
        (written.Reflection, written.LearningPoints, written.Revision, written.State).ShouldBe(("We belden de school te laat.", "Eerder het netwerk bellen.", 1, "open"));
        await auditor.GetByRole(AriaRole.Button, new() { Name = nl.SignAuditButton }).ClickAsync();
        await Expect(auditor.Locator("p.confirm")).ToHaveTextAsync(nl.CaseAuditSignedConfirm);
        await Expect(auditor.Locator("#sign-heading + p + p")).ToHaveTextAsync(nl.YouSignedThisRevision);
        (await olga.Get<CaseAudit>($"/api{url}")).SignedBy.ShouldBe(["olga"]);

        // The professional, in English: the same text, signed; then the page is read-only.
        var professional = await (await chromium.Context(phone: false, "en")).NewPageAsync();
        await Chromium.SignIn(professional, site, "anna", "professional", "en");
        await professional.GotoAsync($"{site}{url}");
        await Expect(professional.Locator("fieldset legend").Nth(3)).ToHaveTextAsync("Was the family heard, and did their own words shape the plan?");
        await Expect(professional.Locator("#reflection")).ToHaveValueAsync("We belden de school te laat.");
        await Expect(professional.Locator("#score-family-heard")).ToHaveValueAsync("4");
        await Chromium.AssertAccessible(professional);
        await professional.GetByRole(AriaRole.Button, new() { Name = en.SignAuditButton }).ClickAsync();
        await Expect(professional.Locator("p.confirm")).ToHaveTextAsync(en.CaseAuditSignedConfirm);
        await Expect(professional.Locator("#audit-state")).ToContainTextAsync(en.CaseAuditSigned);
        await Expect(professional.Locator("main form, main textarea, main select, main button")).ToHaveCountAsync(0); // nothing to change or sign
        await Expect(professional.Locator("#reflection-text")).ToHaveTextAsync("We belden de school te laat.");
        await Chromium.AssertAccessible(professional);
        var signed = await anna.Get<CaseAudit>($"/api{url}");
        (signed.State, signed.Revision).ShouldBe(("signed", 1));
        signed.SignedBy.ShouldBe(["anna", "olga"], ignoreOrder: true);

        // The print view in both languages, whatever the page's language.
        var dutch = await professional.GotoAsync($"{site}{url}?handler=print&in=nl");
        dutch!.Status.ShouldBe(200);
        await Expect(professional.Locator("html")).ToHaveAttributeAsync("lang", "nl");
        await Expect(professional.Locator("h1")).ToContainTextAsync("Casusaudit · anna · auditor olga");
        await Expect(professional.Locator("section.case-audit")).ToContainTextAsync("door beiden ondertekend");
        await professional.GotoAsync($"{site}{url}?handler=print&in=en");
        await Expect(professional.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(professional.Locator("section.case-audit")).ToContainTextAsync("signed by both");
        await Expect(professional.Locator("section.case-audit")).ToContainTextAsync("Moeder kwam goed aan het woord.");

        // The plan's backup reads the plan, not the audit: 403 on its page and its print view, as from the API.
        var backup = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(backup, site, "bart", "professional", "nl");
        (await backup.GotoAsync($"{site}/plans/{plan}"))!.Status.ShouldBe(200);
        await Expect(backup.Locator($"a[href='{url}']")).ToHaveCountAsync(0);
        (await backup.GotoAsync($"{site}{url}"))!.Status.ShouldBe(403);
        (await backup.GotoAsync($"{site}{url}?handler=print&in=nl"))!.Status.ShouldBe(403);
        (await node.As("bart", "professional").GetAsync($"/api{url}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
    }

    /// <summary>
    /// A week to look back on, on the manual clock: a conference session with both members, the plan agreed on Monday 4
    /// January, its pick-up kept on Monday, partly kept on Tuesday, not kept on Wednesday and not reported on Thursday
    /// (missed); the audit is opened on Friday 8 January.
    /// </summary>
    private static async Task HistoryToLookBackOn(ServerProcess node, HttpClient professional, Guid plan)
    {
        var mother = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Moeder De Wit", role = "parent" })).CreatedId();
        var oma = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma Riet", role = "network" })).CreatedId();
        var pickUp = await (await professional.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma Riet haalt de kinderen om 15:00 op.", responsibleMemberId = oma, schedule = new { daily = "15:00" }, grace = "PT4H",
        })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/conference-sessions", new
        {
            heldOn = "2027-01-04", membersPresent = new[] { mother, oma }, professionalsPresent = new[] { "anna", "bart" }, notes = "Afspraken over het ophalen.",
        })).EnsureSuccessStatusCode();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2027-03-01" })).EnsureSuccessStatusCode();
        var member = node.As("oma-riet", $"member:{oma}");
        foreach (var (day, outcome) in new[] { (4, "kept"), (5, "partly"), (6, "not-kept") })
        {
            var occurrence = new DateTimeOffset(2027, 1, day, 15, 0, 0, TimeSpan.FromHours(1));
            await SetClock(node, occurrence.AddHours(1));
            (await member.Post($"/api/plans/{plan}/check-ins", new { clientId = $"c-{day}", agreementId = pickUp, memberId = oma, outcome, occurrence })).EnsureSuccessStatusCode();
        }
        await SetClock(node, new DateTimeOffset(2027, 1, 8, 9, 0, 0, TimeSpan.FromHours(1)));
    }

    private static async Task SetClock(ServerProcess node, DateTimeOffset now) =>
        (await node.As("clock", "admin").Post("/api/dev/clock", new { now })).EnsureSuccessStatusCode();

    /// <summary>
    /// The reviewer's defect on the page: the other participant saves between this one's reading and clicking. The sign
    /// and save forms send the revision the page showed, so the click is refused with the reason (409) and the page shows
    /// the newer text; signing that one then works.
    /// </summary>
    [Fact]
    public async Task a_save_by_the_other_participant_between_reading_and_signing_refuses_the_click_with_the_reason()
    {
        await using var node = await Started(server, "safetyplan_case_audit_stale_pages");
        var site = node.Address.ToString().TrimEnd('/');
        var anna = node.As("anna", "professional");
        var plan = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan Bakker", family = "Bakker", monitorId = "anna" })).CreatedId();
        var olga = node.As("olga", "auditor");
        var audit = await (await olga.Post($"/api/plans/{plan}/case-audits", new { professionalId = "anna" })).CreatedId();
        var url = $"/plans/{plan}/case-audits/{audit}";
        object Text(string reflection) => new { answers = new Dictionary<string, object>(), reflection, learningPoints = "" };
        (await anna.PutAsync($"/api{url}", System.Net.Http.Json.JsonContent.Create(Text("Versie 1")))).EnsureSuccessStatusCode();

        await using var chromium = await Chromium.Launch();
        var auditor = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(auditor, site, "olga", "auditor", "nl");
        await auditor.GotoAsync($"{site}{url}");
        await Expect(auditor.Locator("#reflection")).ToHaveValueAsync("Versie 1");

        // The professional saves while the auditor reads version 1: the auditor's signature is refused, nothing signed.
        (await anna.PutAsync($"/api{url}", System.Net.Http.Json.JsonContent.Create(Text("Versie 2")))).EnsureSuccessStatusCode();
        await auditor.GetByRole(AriaRole.Button, new() { Name = UiText.For("nl").SignAuditButton }).ClickAsync();
        await Expect(auditor.Locator("p.error[role=alert]")).ToContainTextAsync("De tekst van de audit is gewijzigd sinds u hem las (u las revisie 1; hij staat nu op revisie 2)");
        await Expect(auditor.Locator("#reflection")).ToHaveValueAsync("Versie 2");
        await Chromium.AssertAccessible(auditor);
        (await olga.Get<CaseAudit>($"/api{url}")).SignedBy.ShouldBeEmpty();

        // The same for a save: the auditor's text does not silently replace the professional's newer one.
        (await anna.PutAsync($"/api{url}", System.Net.Http.Json.JsonContent.Create(Text("Versie 3")))).EnsureSuccessStatusCode();
        await auditor.Locator("#reflection").FillAsync("Over versie 2 heen");
        await auditor.GetByRole(AriaRole.Button, new() { Name = UiText.For("nl").SaveAuditButton }).ClickAsync();
        await Expect(auditor.Locator("p.error[role=alert]")).ToContainTextAsync("hij staat nu op revisie 3");
        // Nothing typed is lost: the auditor's text stays in the form, the professional's newer text is shown above it.
        await Expect(auditor.Locator("#reflection")).ToHaveValueAsync("Over versie 2 heen");
        await Expect(auditor.Locator("#saved-meanwhile")).ToContainTextAsync(UiText.For("nl").SavedMeanwhileHeading);
        await Expect(auditor.Locator("#saved-reflection")).ToHaveTextAsync("Versie 3");
        // With an unsaved text in the form there is nothing to sign: the button returns once the page shows what is saved.
        await Expect(auditor.Locator("#sign-form")).ToHaveCountAsync(0);
        await Expect(auditor.Locator("#sign-after-save")).ToHaveTextAsync(UiText.For("nl").SignAfterSavingHelp);
        await Chromium.AssertAccessible(auditor);
        (await olga.Get<CaseAudit>($"/api{url}")).Reflection.ShouldBe("Versie 3");

        // Having opened the audit again (its draft dropped) and read version 3, the auditor signs it.
        await auditor.GotoAsync($"{site}{url}");
        await Expect(auditor.Locator("#reflection")).ToHaveValueAsync("Versie 3");
        await auditor.GetByRole(AriaRole.Button, new() { Name = UiText.For("nl").SignAuditButton }).ClickAsync();
        await Expect(auditor.Locator("p.confirm")).ToHaveTextAsync(UiText.For("nl").CaseAuditSignedConfirm);
        var read = await olga.Get<CaseAudit>($"/api{url}");
        (read.Revision, read.SignedBy.Single()).ShouldBe((3, "olga"));
    }

    [Fact]
    public async Task a_team_lead_with_only_that_role_reaches_its_own_page_from_where_they_land_without_reading_the_plan_and_others_are_refused()
    {
        var T = UiText.For("nl");
        await using var node = await Started(server, "safetyplan_case_audit_team_lead_page");
        var site = node.Address.ToString().TrimEnd('/');
        var admin = node.As("admin", "admin");
        foreach (var (user, team, roles) in new[]
                 {
                     ("anna", "noord", new[] { "professional" }), ("tess", "noord", new[] { "teamlead" }),
                     ("zara", "zuid", new[] { "professional" }), ("tom", "zuid", new[] { "teamlead" }),
                 })
            (await admin.PutAsync($"/api/users/{user}", System.Net.Http.Json.JsonContent.Create(new { name = user, email = $"{user}@example.org", language = "nl", roles, team })))
                .EnsureSuccessStatusCode();
        var anna = node.As("anna", "professional");
        var plan = await (await anna.Post("/api/plans", new { title = "Veiligheidsplan De Wit", family = "De Wit", monitorId = "anna", backupId = "bart" })).CreatedId();
        var oma = await (await anna.Post($"/api/plans/{plan}/members", new { name = "Oma Riet", role = "network" })).CreatedId();
        var pickUp = await (await anna.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma haalt de kinderen op", responsibleMemberId = oma, schedule = new { daily = "15:00" }, grace = "PT4H",
        })).CreatedId();
        (await anna.Post($"/api/plans/{plan}/conference-sessions",
            new { heldOn = "2027-01-03", membersPresent = new[] { oma }, professionalsPresent = new[] { "anna" }, notes = "Zorgen in kaart" })).EnsureSuccessStatusCode();
        var zuid = await (await node.As("zara", "professional").Post("/api/plans", new { title = "Veiligheidsplan Yilmaz", family = "Yilmaz", monitorId = "zara" })).CreatedId();
        string Listed(string professional, Guid id) => string.Format(T.TeamAuditLine, professional, id.ToString("N")[..8]);

        await using var chromium = await Chromium.Launch();
        var lead = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(lead, site, "tess", "teamlead", "nl");
        // Where a team lead lands: the plans of their team's professionals, by number only, each a link to its audit page.
        await Expect(lead).ToHaveURLAsync($"{site}/");
        await Expect(lead.Locator("#team-audits a")).ToHaveTextAsync(new[] { Listed("anna", plan) }); // not zara's plan: another team's
        await Expect(lead.Locator("main")).Not.ToContainTextAsync("De Wit");
        await Chromium.AssertAccessible(lead);
        await lead.Locator("#team-audits a").ClickAsync();
        await Expect(lead).ToHaveURLAsync($"{site}/plans/{plan}/case-audits/open");
        await Expect(lead.Locator("#audit-professional option")).ToHaveTextAsync(new[] { "anna" });
        // The plan itself stays closed to a team lead, as in the API; its audit part is their own page.
        (await lead.GotoAsync($"{site}/plans/{plan}"))!.Status.ShouldBe(403);
        (await node.As("tess", "teamlead").GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        (await lead.GotoAsync($"{site}/plans/{plan}/case-audits/open"))!.Status.ShouldBe(200);
        await Expect(lead.Locator("#audit-professional option")).ToHaveTextAsync(new[] { "anna" }); // bart is not of tess's team
        await Expect(lead.Locator("main")).Not.ToContainTextAsync("De Wit");
        await Chromium.AssertAccessible(lead);
        await lead.GetByRole(AriaRole.Button, new() { Name = T.OpenCaseAuditButton }).ClickAsync();
        await Expect(lead).ToHaveURLAsync(new Regex($"/plans/{plan}/case-audits/[0-9a-f-]{{36}}$"));
        var url = $"/plans/{plan}/case-audits/{lead.Url[^36..]}";
        var read = await node.As("tess", "teamlead").Get<CaseAudit>($"/api{url}");
        (read.ProfessionalId, read.AuditorId).ShouldBe(("anna", "tess"));

        // The facts per agreement and per session; the team lead, who may not read the plan, sees members by number.
        await Expect(lead.Locator("#facts-agreements tr").Nth(1)).ToContainTextAsync("Oma haalt de kinderen op");
        await Expect(lead.Locator("#facts-sessions tr").Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("1");
        await Expect(lead.Locator("section[aria-labelledby=facts-heading]")).ToContainTextAsync(T.FactMembersByNumber);
        await Expect(lead.Locator("section[aria-labelledby=facts-heading]")).Not.ToContainTextAsync("Oma Riet");
        await Chromium.AssertAccessible(lead);
        read.Facts.ComplianceByAgreement.ShouldBe(new Values<AgreementCompliance>([new(pickUp, "Oma haalt de kinderen op", 0, 0, 0, 0, 0, null)]));
        read.Facts.ConferenceAttendance.ShouldNotBeNull().Single().MembersPresent.ShouldBe([oma]);

        // The professional, who reads the plan, sees the member's name on the page and in the print.
        var professional = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(professional, site, "anna", "professional", "nl");
        await professional.GotoAsync($"{site}{url}");
        await Expect(professional.Locator("#facts-sessions tr").Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("Oma Riet");
        await professional.GotoAsync($"{site}{url}?handler=print&in=en");
        await Expect(professional.Locator("section.case-audit")).ToContainTextAsync("Oma Riet");
        await Expect(professional.Locator("section.case-audit")).ToContainTextAsync("Compliance per agreement");

        // A team lead of another team, and a professional, are refused: the page and the API alike.
        var other = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(other, site, "tom", "teamlead", "nl");
        await Expect(other.Locator("#team-audits a")).ToHaveTextAsync(new[] { Listed("zara", zuid) });
        await Expect(other.Locator($"a[href='/plans/{plan}/case-audits/open']")).ToHaveCountAsync(0);
        (await other.GotoAsync($"{site}/plans/{plan}/case-audits/open"))!.Status.ShouldBe(403);
        (await other.GotoAsync($"{site}{url}"))!.Status.ShouldBe(403);
        (await node.As("tom", "teamlead").Post($"/api/plans/{plan}/case-audits", new { professionalId = "anna" })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        var colleague = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(colleague, site, "carla", "professional", "nl");
        (await colleague.GotoAsync($"{site}/plans/{plan}/case-audits/open"))!.Status.ShouldBe(403);
    }

    [Fact]
    public async Task the_new_plan_page_sends_the_referral_with_the_draft()
    {
        var T = UiText.For("nl");
        await using var node = await Started(server, "safetyplan_new_plan_referral_page");
        var site = node.Address.ToString().TrimEnd('/');
        await using var chromium = await Chromium.Launch();
        var page = await (await chromium.Context(phone: false, "nl")).NewPageAsync();
        await Chromium.SignIn(page, site, "anna", "professional", "nl");
        await page.GotoAsync($"{site}/plans/new");
        await Chromium.AssertAccessible(page);

        // A referral received tomorrow is refused in the page's language, and no plan is made.
        await page.Locator("#title").FillAsync("Veiligheidsplan gezin Smit");
        await page.Locator("#family").FillAsync("Gezin Smit");
        await page.Locator("#referral-by").FillAsync("Veilig Thuis");
        await page.Locator("#referral-received-on").FillAsync("2027-01-05");
        await page.Locator("#conference-within").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = T.NewPlanButton }).ClickAsync();
        await Expect(page.Locator("p.error")).ToContainTextAsync("mag niet na vandaag");
        var anna = node.As("anna", "professional");
        (await anna.Get<List<PlanSummary>>("/api/plans")).ShouldBeEmpty();

        await page.Locator("#referral-received-on").FillAsync("2026-12-28");
        await page.GetByRole(AriaRole.Button, new() { Name = T.NewPlanButton }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/plans/[0-9a-f-]{36}/conference$"));
        var plan = Guid.Parse(page.Url.Split('/')[^2]);
        // 28 December and four weeks: the first session is due by 25 January; the conference page says so.
        var status = await anna.Get<PlanStatus>($"/api/plans/{plan}");
        status.Referral.ShouldBe(new ReferralStatus("Veilig Thuis", new DateOnly(2026, 12, 28), "P28D", new DateOnly(2027, 1, 25)));
        await Expect(page.Locator("section[aria-labelledby=sessions-heading] p").First).ToContainTextAsync("Veilig Thuis");
    }
}
