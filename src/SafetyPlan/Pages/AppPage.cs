using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SafetyPlan.Pages;

/// <summary>What every page has: its language and texts, the caller, the clock, and how times are shown.</summary>
public abstract class AppPage : PageModel
{
    public string Language => PageLanguage.Of(HttpContext);
    public UiText T => UiText.For(Language);
    public CultureInfo Culture => PageLanguage.Culture(Language);
    public Caller Caller => HttpContext.PageCaller();
    public DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>A refusal from a decision, shown to the person in their language.</summary>
    public string? Error { get; set; }

    protected IActionResult Refused(Rejection rejection)
    {
        Error = rejection.Errors is { } errors
            ? string.Join(" ", errors.Values.SelectMany(e => e).Select(e => e.In(Language)))
            : rejection.Detail.In(Language);
        Response.StatusCode = (int)rejection.Kind;
        return Page();
    }

    /// <summary>
    /// The plan, when this caller may read it (the same rules as the API's reads, docs/security.md); otherwise the answer
    /// to give: not found (also for another organisation's plan), or access denied.
    /// </summary>
    protected async Task<(SafetyPlan.Plans.Plan? Plan, IActionResult? Refusal)> ReadablePlan(Marten.IQuerySession session, Guid planId, CancellationToken ct)
    {
        if (await session.LoadAsync<SafetyPlan.Plans.Plan>(planId, ct) is not { } plan) return (null, NotFound());
        return await Caller.MayRead(plan, session, ct) is null ? (plan, null) : (null, Forbid());
    }

    /// <summary>
    /// Acknowledges or resolves an escalation from a page's form (Shared/_EscalationResponse.cshtml: the dashboard and the
    /// plan page), through the same command as <c>POST /api/escalations/{id}/acknowledge|resolve</c>. Done: a redirect to
    /// <paramref name="doneUrl"/> given "acknowledged" or "resolved"; refused: the page again (<paramref name="reload"/>,
    /// whose own refusal wins) with the reason; 403 for anyone but a professional.
    /// </summary>
    protected async Task<IActionResult> RespondToEscalation(Guid escalationId, bool resolve, string? note, Marten.IQuerySession session,
        Wolverine.IMessageBus bus, Func<Task<IActionResult?>> reload, Func<string, string> doneUrl, CancellationToken ct)
    {
        if (!Caller.IsProfessional) return Forbid();
        var decision = await SafetyPlan.Escalations.RespondToEscalationEndpoints.Respond(escalationId, resolve,
            string.IsNullOrWhiteSpace(note) ? null : note, Caller, session, bus, ct);
        if (decision.Rejection is not { } rejection) return LocalRedirect(doneUrl(resolve ? "resolved" : "acknowledged"));
        return await reload() ?? Refused(rejection);
    }

    /// <summary>
    /// Whether this caller may acknowledge and resolve this escalation of <paramref name="plan"/>: asked of the command's
    /// own pure decision (Escalations/RespondToEscalation.cs), so the page offers the forms exactly to those it accepts.
    /// </summary>
    public bool MayRespond(SafetyPlan.Plans.Plan plan, SafetyPlan.Plans.EscalationRecord escalation) =>
        SafetyPlan.Escalations.RespondToEscalation.Decide(plan, new SafetyPlan.Escalations.RespondToEscalation(plan.Id, escalation.Id, true, "?", Caller), Now)
            .Rejection is not { Kind: RejectionKind.Forbidden };

    public string When(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("ddd d MMM HH:mm", Culture);

    public string Day(DateOnly day) => day.ToString("ddd d MMM yyyy", Culture);

    public string Time(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", Culture);
}
