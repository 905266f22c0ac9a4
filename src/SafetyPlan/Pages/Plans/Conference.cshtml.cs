using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;

namespace SafetyPlan.Pages.Plans;

/// <summary>
/// Recording a network conference's outcome: members, danger statements with their safety goals, agreements (with
/// schedule presets), bottom lines (one form per rule kind's fields) and the agreement of the plan. Each form sends
/// the same command as its API route.
/// </summary>
[Authorize(Policy = Policies.Professional)]
[Audit.CaseDataRead("page")]
public sealed class ConferenceModel(IQuerySession session, IMessageBus bus) : AppPage
{
    public static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public Plan Plan { get; private set; } = new();
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid planId, string? done, CancellationToken ct)
    {
        if (await Load(planId, ct) is { } refusal) return refusal;
        Done = done;
        return Page();
    }

    public Task<IActionResult> OnPostMemberAsync(Guid planId, string? name, string? role, string? email, string? phone, CancellationToken ct) =>
        Send(planId, "member", new AddMemberRequest(name, role, email, phone).ToCommand(planId, Caller)
            .Then(command => bus.Decide(command, ct)), ct);

    public Task<IActionResult> OnPostGoalAsync(Guid planId, string? danger, string? goal, CancellationToken ct) =>
        Send(planId, "goal", new SetSafetyGoalRequest(danger, goal).ToCommand(planId, Caller).Then(command => bus.Decide(command, ct)), ct);

    /// <param name="preset">daily ("every day at"), weekly ("on these weekdays at") or once</param>
    public Task<IActionResult> OnPostAgreementAsync(Guid planId, string? text, Guid? responsibleMemberId, Guid? goalId, string? preset,
        string? at, string[]? weekdays, string? once, int? graceHours, CancellationToken ct)
    {
        ScheduleRequest? schedule = preset switch
        {
            "daily" => new ScheduleRequest(at, null, null, null),
            "weekly" => new ScheduleRequest(null, weekdays ?? [], at, null),
            "once" => new ScheduleRequest(null, null, null, once),
            _ => null,
        };
        var request = new MakeAgreementRequest(text, responsibleMemberId, goalId, schedule, Hours(graceHours));
        return Send(planId, "agreement", request.ToCommand(planId, Caller).Then(command => bus.Decide(command, ct)), ct);
    }

    public Task<IActionResult> OnPostBottomLineAsync(Guid planId, string? text, string? kind, Guid? agreementId, int? count, int? withinDays,
        int? silenceHours, string? minSeverity, int? acknowledgeHours, CancellationToken ct)
    {
        var rule = new RuleRequest(kind, agreementId, count, withinDays is { } d ? $"P{d.ToString(CultureInfo.InvariantCulture)}D" : null,
            Hours(silenceHours), minSeverity);
        var request = new SetBottomLineRequest(text, rule, Hours(acknowledgeHours));
        return Send(planId, "bottom-line", request.ToCommand(planId, Caller).Then(command => bus.Decide(command, ct)), ct);
    }

    /// <summary>
    /// Records a session (Conference/RecordConferenceSession.cs): the day, the members present by checkbox, the
    /// professionals present as user ids separated by commas, and the notes. A member present that is no member of the
    /// plan's network (not an id, unknown, or removed) is a form error on this page (400), like every other refusal, and
    /// the form keeps what was sent (<see cref="Session"/>).
    /// </summary>
    public async Task<IActionResult> OnPostSessionAsync(Guid planId, DateOnly? heldOn, string[]? membersPresent, string? professionalsPresent,
        string? notes, CancellationToken ct)
    {
        Session = new SessionForm(heldOn, membersPresent ?? [], professionalsPresent ?? "", notes ?? "");
        if (await Load(planId, ct) is { } refusal) return refusal;
        var members = new List<Guid>();
        foreach (var value in membersPresent ?? [])
        {
            // Bound as text: a value that is no id would otherwise be dropped by model binding and the session recorded without it.
            if (Guid.TryParse(value, out var id) && Plan.ActiveMember(id) is not null) members.Add(id);
            else return Refused(NotInNetwork);
        }
        var professionals = (professionalsPresent ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new Conference.RecordConferenceSessionRequest(heldOn, [.. members], professionals, notes);
        var decision = await request.ToCommand(planId, Caller).Then(command => bus.Decide(command, ct));
        return decision.Rejection is { } rejection ? await RefusedWithPlan(planId, rejection, ct) : LocalRedirect($"/plans/{planId}/conference?done=session");
    }

    private static readonly Rejection NotInNetwork = Rejection.Invalid("membersPresent",
        "Choose the members present from the plan's network: one of them is not (or no longer) in it.",
        "Kies de aanwezige leden uit het netwerk van het plan: een van hen hoort er niet (meer) bij.");

    /// <summary>What the session form sent, shown again when it was refused; null: the form starts empty (today, the caller present).</summary>
    public SessionForm? Session { get; private set; }

    /// <summary>The session form's values as sent: the day, the members present (as sent, ids or not), the professionals and the notes.</summary>
    public sealed record SessionForm(DateOnly? HeldOn, IReadOnlyList<string> MembersPresent, string ProfessionalsPresent, string Notes)
    {
        /// <summary>Whether <paramref name="member"/> was ticked.</summary>
        public bool Ticked(Guid member) => MembersPresent.Any(v => Guid.TryParse(v, out var id) && id == member);
    }

    /// <summary>A session's members present by name (the id for someone no longer in the network).</summary>
    public string MemberNames(IEnumerable<Guid> ids) =>
        string.Join(", ", ids.Select(id => Plan.Members.FirstOrDefault(m => m.Id == id)?.Name ?? id.ToString()));

    public async Task<IActionResult> OnPostAgreeAsync(Guid planId, DateOnly? evaluationDue, CancellationToken ct)
    {
        var decision = await new AgreePlanRequest(evaluationDue).ToCommand(planId, Caller).Then(command => bus.Decide(command, ct));
        return decision.Rejection is { } rejection ? await RefusedWithPlan(planId, rejection, ct) : LocalRedirect($"/plans/{planId}");
    }

    /// <summary>Back to the conference with what was done, or the page again with the refusal.</summary>
    private async Task<IActionResult> Send(Guid planId, string what, Task<Decision<CreatedId>> sent, CancellationToken ct)
    {
        var decision = await sent;
        return decision.Rejection is { } rejection ? await RefusedWithPlan(planId, rejection, ct) : LocalRedirect($"/plans/{planId}/conference?done={what}");
    }

    private async Task<IActionResult> RefusedWithPlan(Guid planId, Rejection rejection, CancellationToken ct)
    {
        return await Load(planId, ct) ?? Refused(rejection);
    }

    /// <summary>Loads the plan for the page; the refusal when this caller may not read it.</summary>
    private async Task<IActionResult?> Load(Guid planId, CancellationToken ct)
    {
        var (plan, refusal) = await ReadablePlan(session, planId, ct);
        if (plan is not null) Plan = plan;
        return refusal;
    }

    /// <summary>A whole number of hours from the form as the ISO 8601 duration the API takes.</summary>
    private static string? Hours(int? hours) => hours is { } h ? $"PT{h.ToString(CultureInfo.InvariantCulture)}H" : null;
}
