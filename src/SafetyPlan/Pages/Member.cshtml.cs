using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using Wolverine;

namespace SafetyPlan.Pages;

/// <summary>
/// A network member's page: today's and recent agreements with kept / partly / not kept, a worry, the safety scale.
/// Every report goes through the same commands and handlers as the API, idempotent by the clientId in the form, so a
/// form sent twice (a retry after the network dropped) is recorded once.
/// </summary>
[Authorize(Policy = Policies.Reporter)]
public sealed class MemberModel(IQuerySession session, IMessageBus bus, IDocumentStore store) : AppPage
{
    public Plan? Plan { get; private set; }
    public Member? Me { get; private set; }
    public IReadOnlyList<AgendaItem> Agenda { get; private set; } = [];
    public string? Done { get; private set; }
    public TimeZoneInfo Zone => Plan?.Zone() ?? TimeZoneInfo.Utc;

    /// <summary>A fresh idempotency key for each form as it is shown; a resubmission of the same form repeats it.</summary>
    public string NewClientId() => "web-" + Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken ct)
    {
        if (Caller.MemberId is null) return LocalRedirect("/");
        Done = done is "check-in" or "concern" or "rating" ? done : null;
        if (await Load(ct) is { } plan)
            await Audit.RecordAccess.Record(store, HttpContext.RequestServices.GetRequiredService<TimeProvider>(), HttpContext, plan.Id);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckInAsync(string? clientId, Guid? agreementId, DateTimeOffset? occurrence, string? outcome,
        string? note, CancellationToken ct)
    {
        if (await Load(ct) is not { } plan) return NotFound();
        var request = new LogCheckInRequest(clientId, agreementId, Me!.Id, outcome, note, occurrence);
        if (LogCheckIn.Validate(request, out var parsed) is { } invalid) return Refused(invalid);
        var decision = await bus.InvokeAsync<Decision<Receipt>>(new LogCheckIn(plan.Id, Guid.NewGuid(), clientId!.Trim(), agreementId!.Value,
            Me.Id, parsed, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), occurrence, Caller), ct);
        return decision.Rejection is { } rejection ? Refused(rejection) : RedirectToPage(new { done = "check-in" });
    }

    public async Task<IActionResult> OnPostConcernAsync(string? clientId, string? text, string? severity, CancellationToken ct)
    {
        if (await Load(ct) is not { } plan) return NotFound();
        var request = new RaiseConcernRequest(clientId, Me!.Id, text, severity);
        if (RaiseConcern.Validate(request, out var parsed) is { } invalid) return Refused(invalid);
        var decision = await bus.InvokeAsync<Decision<Receipt>>(
            new RaiseConcern(plan.Id, Guid.NewGuid(), clientId!.Trim(), Me.Id, text!, parsed, Caller), ct);
        return decision.Rejection is { } rejection ? Refused(rejection) : RedirectToPage(new { done = "concern" });
    }

    public async Task<IActionResult> OnPostRatingAsync(string? clientId, int? score, string? note, CancellationToken ct)
    {
        if (await Load(ct) is not { } plan) return NotFound();
        var request = new GiveRatingRequest(clientId, Me!.Id, score, note);
        if (GiveRating.Validate(request) is { } invalid) return Refused(invalid);
        var decision = await bus.InvokeAsync<Decision<Receipt>>(new GiveRating(plan.Id, Guid.NewGuid(), clientId!.Trim(), Me.Id, score!.Value,
            string.IsNullOrWhiteSpace(note) ? null : note.Trim(), Caller), ct);
        return decision.Rejection is { } rejection ? Refused(rejection) : RedirectToPage(new { done = "rating" });
    }

    private async Task<Plan?> Load(CancellationToken ct)
    {
        if (Caller.MemberId is not { } memberId) return null;
        Plan = await PlanQueries.ForMember(session, memberId, ct);
        Me = Plan?.ActiveMember(memberId);
        if (Plan is not null) Agenda = MemberAgenda.For(Plan, memberId, Now);
        return Plan;
    }
}
