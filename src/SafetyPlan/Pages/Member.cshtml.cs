using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using SafetyPlan.PersonalLinks;
using SafetyPlan.Reports;

namespace SafetyPlan.Pages;

/// <summary>
/// A network member's page: today's and recent agreements with kept / partly / not kept, a worry, the safety scale;
/// "our plan" in plain words, this week's agreements for the member with their state, the reminders setting, the
/// member's calendar address and the push opt-in (the page is a progressive web app: docs/scheduling-and-notifications.md,
/// "The member page as an app").
/// Every report goes through the same commands and handlers as the API, idempotent by the clientId in the form, so a
/// form sent twice (a retry after the network dropped) is recorded once.
/// </summary>
[Authorize(Policy = Policies.Reporter)]
[Audit.CaseDataRead("page")]
public sealed class MemberModel(IQuerySession session, IMessageBus bus, LinkTokens tokens, Hosting.AppAddress address, IAntiforgery antiforgery) : AppPage
{
    public Plan? Plan { get; private set; }
    public Member? Me { get; private set; }
    public IReadOnlyList<AgendaItem> Agenda { get; private set; } = [];
    /// <summary>Open reminders and slipped agreements the member watches (<see cref="MemberAgenda.ForYou"/>).</summary>
    public IReadOnlyList<ForYouItem> ForYou { get; private set; } = [];
    /// <summary>"Our plan": the goals and every agreement in plain words (<see cref="MemberAgenda.OurPlan"/>).</summary>
    public IReadOnlyList<GoalLines> OurPlan { get; private set; } = [];
    /// <summary>This week's occurrences of the member's agreements with their state (<see cref="MemberAgenda.ThisWeek"/>).</summary>
    public IReadOnlyList<WeekItem> ThisWeek { get; private set; } = [];
    /// <summary>
    /// The member's calendar feed (<c>https://…/l/{token}/calendar.ics</c>), only when they signed in with their personal
    /// link: the token is that link's own, signed again from its claims, so it counts exactly while the link does. Null
    /// for a member signed in otherwise (there is no link to give).
    /// </summary>
    public string? CalendarUrl { get; private set; }
    /// <summary>The calendar feed as <c>webcal://</c>, which phones open in their calendar app as a subscription.</summary>
    public string? WebcalUrl => CalendarUrl is { } url ? "webcal://" + url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : null;
    /// <summary>The antiforgery token the push button's script sends with its cookie-authenticated API calls (Hardening.AntiforgeryHeader).</summary>
    public string? ApiToken { get; private set; }
    public string? Done { get; private set; }
    public TimeZoneInfo Zone => Plan?.Zone() ?? TimeZoneInfo.Utc;

    /// <summary>A fresh idempotency key for each form as it is shown; a resubmission of the same form repeats it.</summary>
    public string NewClientId() => "web-" + Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (Caller.MemberId is null) return LocalRedirect("/");
        Done = done is "check-in" or "concern" or "rating" or "reminders" ? done : null;
        await Load(ct);
        return Page();
    }

    public Task<IActionResult> OnPostCheckInAsync(string? clientId, Guid? agreementId, DateTimeOffset? occurrence, string? outcome,
        string? note, CancellationToken ct) =>
        Report("check-in", (plan, me) => new LogCheckInRequest(clientId, agreementId, me, outcome, note, occurrence).ToCommand(plan, Caller)
            .Then(command => bus.Decide(command, ct)), ct);

    public Task<IActionResult> OnPostConcernAsync(string? clientId, string? text, string? severity, CancellationToken ct) =>
        Report("concern", (plan, me) => new RaiseConcernRequest(clientId, me, text, severity).ToCommand(plan, Caller)
            .Then(command => bus.Decide(command, ct)), ct);

    public Task<IActionResult> OnPostRatingAsync(string? clientId, int? score, string? note, CancellationToken ct) =>
        Report("rating", (plan, me) => new GiveRatingRequest(clientId, me, score, note).ToCommand(plan, Caller)
            .Then(command => bus.Decide(command, ct)), ct);

    /// <summary>The member turns their own reminders off or on, through the same command as the API.</summary>
    public async Task<IActionResult> OnPostRemindersAsync(bool reminders, CancellationToken ct)
    {
        if (await Load(ct) is not { } plan) return NotFound();
        var decision = await new SetMemberRemindersRequest(reminders).ToCommand(plan.Id, Me!.Id, Caller).Then(command => bus.Decide(command, ct));
        return decision.Rejection is { } rejection ? Refused(rejection) : RedirectToPage(new { done = "reminders" });
    }

    /// <summary>Sends one form's report as the member signed in, on their plan; back to the page with what was done, or the refusal.</summary>
    /// <param name="report">the report for the plan's id and the member's id, turned into its command by its request and sent</param>
    private async Task<IActionResult> Report(string done, Func<Guid, Guid, Task<Decision<Receipt>>> report, CancellationToken ct)
    {
        if (await Load(ct) is not { } plan) return NotFound();
        var decision = await report(plan.Id, Me!.Id);
        return decision.Rejection is { } rejection ? Refused(rejection) : RedirectToPage(new { done });
    }

    private string? CalendarAddress(Plan plan, Guid memberId)
    {
        if (!Guid.TryParse(User.FindFirstValue(PersonalLinkSignIn.LinkClaim), out var linkId)) return null;
        if (plan.Links.FirstOrDefault(l => l.Id == linkId && l.MemberId == memberId && l.RevokedAt is null) is not { } link) return null;
        // A calendar-only token: the address lives on in calendar services, so it must not sign anyone in.
        var token = tokens.SignCalendar(new LinkClaims(link.Id, plan.Id, memberId, Caller.Organisation, link.ExpiresAt));
        return $"{address.BaseUrl}/l/{token}/calendar.ics";
    }

    private async Task<Plan?> Load(CancellationToken ct)
    {
        if (Caller.MemberId is not { } memberId) return null;
        Plan = await PlanQueries.ForMember(session, memberId, ct);
        // Here, not in OnGet: a refused form re-renders this page with the plan too, and its entry must name the plan.
        if (Plan is not null) Audit.AccessLogMiddleware.ReadsPlan(HttpContext, Plan.Id);
        Me = Plan?.ActiveMember(memberId);
        if (Plan is null || Me is null) return Plan;
        (Agenda, ForYou) = (MemberAgenda.For(Plan, memberId, Now), MemberAgenda.ForYou(Plan, memberId, Now));
        (OurPlan, ThisWeek) = (MemberAgenda.OurPlan(Plan, memberId), MemberAgenda.ThisWeek(Plan, memberId, Now));
        CalendarUrl = CalendarAddress(Plan, memberId);
        ApiToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken;
        return Plan;
    }
}
