using System.Net;
using System.Text.RegularExpressions;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using static SafetyPlan.Tests.Infrastructure.PageForms;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Who may open which page, over HTTP with the pages' cookie: anonymous people are sent to sign in (the API still
/// answers 401), members see only their own page, forms without an antiforgery token are refused, and the API keeps
/// working without one.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_someone_opens_a_page(ServerFixture server)
{
    [Fact]
    public async Task an_anonymous_visitor_is_sent_to_sign_in_and_the_api_answers_401()
    {
        var browser = Browser();
        var page = await browser.GetAsync("/dashboard");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldContain("/sign-in?ReturnUrl=%2Fdashboard");
        (await browser.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetAsync("/sign-in")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_member_sees_their_own_page_and_is_refused_the_professional_pages()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var member = Browser();
        await SignIn(member, "oma", $"member:{plan.MemberId}");

        var own = await member.GetAsync("/member");
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await own.Content.ReadAsStringAsync()).ShouldContain("Oma haalt de kinderen elke dag om 15:00 op.");
        var log = await (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/access-log")).Json();
        log.EnumerateArray().Count(e => e.GetProperty("userId").GetString() == "oma" && e.GetProperty("what").GetString() == "GET /member").ShouldBe(1);
        (await member.GetAsync($"/plans/{plan.PlanId}")).Headers.Location!.ToString().ShouldContain("/access-denied");
        (await member.GetAsync($"/plans/{plan.PlanId}/timeline")).Headers.Location!.ToString().ShouldContain("/access-denied");
        (await member.GetAsync($"/plans/{plan.PlanId}/conference")).Headers.Location!.ToString().ShouldContain("/access-denied");
        (await member.GetAsync("/dashboard")).Headers.Location!.ToString().ShouldBe("/member");
        // The same cookie on the API: the member's rights, no more.
        (await member.GetAsync("/api/plans")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_professional_opens_only_their_own_plans_pages_and_another_organisations_plan_does_not_exist()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var monitor = Browser();
        await SignIn(monitor, plan.MonitorId, "professional");
        foreach (var page in new[] { "", "/timeline", "/conference" })
            (await monitor.GetAsync($"/plans/{plan.PlanId}{page}")).StatusCode.ShouldBe(HttpStatusCode.OK, page);
        (await (await monitor.GetAsync("/dashboard")).Content.ReadAsStringAsync()).ShouldContain(plan.PlanId.ToString());

        var colleague = Browser();
        await SignIn(colleague, "someone-else", "professional");
        foreach (var page in new[] { "", "/timeline", "/conference" })
            (await colleague.GetAsync($"/plans/{plan.PlanId}{page}")).Headers.Location!.ToString().ShouldContain("/access-denied", customMessage: page);
        (await (await colleague.GetAsync("/dashboard")).Content.ReadAsStringAsync()).ShouldNotContain(plan.PlanId.ToString());

        var otherOrganisation = Browser();
        await SignIn(otherOrganisation, plan.MonitorId, "professional", organisation: "elders");
        foreach (var page in new[] { "", "/timeline", "/conference" })
            (await otherOrganisation.GetAsync($"/plans/{plan.PlanId}{page}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, page);
    }

    [Fact]
    public async Task a_member_who_opens_their_personal_link_lands_on_their_own_page_and_can_report()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var issued = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/links", new { validFor = "P7D" })).Json();
        var phone = Browser();

        var opened = await phone.GetAsync(new Uri(issued.GetProperty("url").GetString()!).PathAndQuery);
        opened.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        opened.Headers.Location!.ToString().ShouldBe("/member");
        var page = await phone.GetAsync("/member");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("Oma haalt de kinderen elke dag om 15:00 op.");

        var before = await server.DomainEvents(plan.PlanId);
        var report = await phone.PostAsync("/member?handler=CheckIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Token(phone, "/member"), ["clientId"] = "link-1",
            ["agreementId"] = plan.AgreementId.ToString(), ["outcome"] = "kept",
        }));
        ((int)report.StatusCode).ShouldBeLessThan(400);
        (await server.DomainEvents(plan.PlanId)).ShouldBe(before + 1);
        (await plan.Status()).Agreements[0].Kept.ShouldBe(1);
    }

    [Fact]
    public async Task a_form_without_its_antiforgery_token_is_refused_and_records_nothing()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var member = Browser();
        await SignIn(member, "oma", $"member:{plan.MemberId}");
        var before = await server.DomainEvents(plan.PlanId);

        var forged = await member.PostAsync("/member?handler=CheckIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["clientId"] = "forged-1", ["agreementId"] = plan.AgreementId.ToString(), ["outcome"] = "not-kept",
        }));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.DomainEvents(plan.PlanId)).ShouldBe(before);

        // With the token the same form is accepted, and sent twice (a retry) it is recorded once.
        var token = await Token(member, "/member");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["clientId"] = "web-retry-1", ["agreementId"] = plan.AgreementId.ToString(), ["outcome"] = "kept",
        };
        (await member.PostAsync("/member?handler=CheckIn", new FormUrlEncodedContent(form))).Headers.Location!.ToString().ShouldContain("done=check-in");
        var once = await server.DomainEvents(plan.PlanId);
        (await member.PostAsync("/member?handler=CheckIn", new FormUrlEncodedContent(form))).Headers.Location!.ToString().ShouldContain("done=check-in");
        (await server.DomainEvents(plan.PlanId)).ShouldBe(once);
        once.ShouldBe(before + 1);
    }

    [Fact]
    public async Task only_the_monitor_or_backup_can_acknowledge_from_the_dashboard()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        var escalation = (await (await plan.Professional.GetAsync("/api/escalations?state=open")).Json())[0].GetProperty("id").GetString()!;

        var stranger = Browser();
        await SignIn(stranger, "someone-else", "professional");
        var token = await Token(stranger, "/dashboard");
        var refused = await stranger.PostAsync("/dashboard?handler=Acknowledge", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["escalationId"] = escalation,
        }));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // The response decides its own access: only whoever the escalation names now (RespondToEscalation).
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Alleen de regiehouder, de achtervang of");
        (await (await plan.Professional.GetAsync("/api/escalations?state=open")).Json()).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task an_auditor_filters_the_timeline_and_follows_the_export_links_with_the_same_cookie()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        (await plan.CheckIn("kept")).EnsureSuccessStatusCode();
        var auditor = Browser();
        await SignIn(auditor, "audrey", "auditor");

        var all = await (await auditor.GetAsync($"/plans/{plan.PlanId}/timeline")).Content.ReadAsStringAsync();
        var filtered = await (await auditor.GetAsync($"/plans/{plan.PlanId}/timeline?type=check-in-logged")).Content.ReadAsStringAsync();
        Rows(all).ShouldBe((int)await server.DomainEvents(plan.PlanId));
        Rows(filtered).ShouldBe(1);
        filtered.ShouldContain($"/api/plans/{plan.PlanId}/export?format=html");

        var export = await auditor.GetAsync($"/api/plans/{plan.PlanId}/export?format=html");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await export.Content.ReadAsStringAsync()).ShouldContain("Veiligheidsplan Jansen");
        // Opening the timeline is a read of case data: it is in the access log.
        var log = await (await server.As("auditor-2", "auditor").GetAsync($"/api/plans/{plan.PlanId}/access-log")).Json();
        log.EnumerateArray().Count(e => e.GetProperty("userId").GetString() == "audrey" && e.GetProperty("what").GetString()!.Contains("/timeline")).ShouldBe(2);
    }

    [Fact]
    public async Task the_monitor_resolves_from_the_dashboard_only_with_a_note()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        var escalation = (await (await plan.Professional.GetAsync("/api/escalations?state=open")).Json())[0].GetProperty("id").GetString()!;
        var monitor = Browser();
        await SignIn(monitor, plan.MonitorId, "professional");
        var token = await Token(monitor, "/dashboard");
        var dashboard = await (await monitor.GetAsync("/dashboard")).Content.ReadAsStringAsync();
        dashboard.ShouldContain("elke schending van de afspraak"); // the rule in the page's language, not the stored English record
        dashboard.ShouldNotContain("any breach of the agreement");

        var withoutNote = await monitor.PostAsync("/dashboard?handler=Resolve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["escalationId"] = escalation, ["note"] = "",
        }));
        withoutNote.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await withoutNote.Content.ReadAsStringAsync()).ShouldContain("&#x27;note&#x27; is verplicht");

        var resolved = await monitor.PostAsync("/dashboard?handler=Resolve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["escalationId"] = escalation, ["note"] = "Huisbezoek gedaan; oma was ziek.",
        }));
        resolved.Headers.Location!.ToString().ShouldBe("/dashboard?done=resolved");
        var inbox = await plan.Escalations();
        (inbox[0].State, inbox[0].Note).ShouldBe((EscalationState.Resolved, "Huisbezoek gedaan; oma was ziek."));
        (await plan.Status()).Status.ShouldBe(Colour.Amber);
    }

    [Fact]
    public async Task a_member_present_that_is_no_id_or_no_member_is_a_form_error_in_the_pages_language_and_the_form_keeps_what_was_sent()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var monitor = Browser();
        await SignIn(monitor, plan.MonitorId, "professional");
        var page = $"/plans/{plan.PlanId}/conference";
        var heldOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(await server.Now(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        async Task<(HttpStatusCode Status, string Html)> Send(string member)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("__RequestVerificationToken", await Token(monitor, page)), new("heldOn", heldOn),
                new("membersPresent", plan.MemberId.ToString()), new("membersPresent", member),
                new("professionalsPresent", "veilig-thuis-7, wijkteam-3"), new("notes", "Oma en de buurvrouw delen het ophalen."),
            };
            var response = await monitor.PostAsync($"{page}?handler=Session", new FormUrlEncodedContent(form));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        foreach (var member in new[] { "niet-een-id", Guid.NewGuid().ToString() })
        {
            var (status, html) = await Send(member);
            status.ShouldBe(HttpStatusCode.BadRequest, member); // not the 404 page, and never recorded without the member
            html.ShouldContain("hoort er niet (meer) bij");
            html.ShouldContain("Oma en de buurvrouw delen het ophalen.");
            html.ShouldContain("value=\"veilig-thuis-7, wijkteam-3\"");
            html.ShouldContain($"value=\"{heldOn}\"");
            html.ShouldContain($"value=\"{plan.MemberId}\" checked=\"checked\"");
        }
        var english = await monitor.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Token(monitor, page), ["language"] = "en", ["returnUrl"] = page,
        }));
        english.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, inEnglish) = await Send(Guid.NewGuid().ToString());
        inEnglish.ShouldContain("is not (or no longer) in it");
        inEnglish.ShouldContain("Oma en de buurvrouw delen het ophalen.");
        (await plan.History()).ShouldNotContain(e => e.Type == "conference-session-held");
    }

    private static int Rows(string html) => Regex.Matches(html[html.IndexOf("<table class=\"history\">", StringComparison.Ordinal)..], "<tr class=").Count;

    private HttpClient Browser() => server.Browser();
}
