namespace SafetyPlan.Conference;

/// <summary>
/// One session of the network conference as sent to <c>POST /api/plans/{planId}/conference-sessions</c> and from the
/// conference page: <c>{ "heldOn": "2027-01-04", "membersPresent": [memberId], "professionalsPresent": [userId], "notes" }</c>.
/// </summary>
/// <param name="HeldOn">the day it was held, in the plan's zone: not after today, not before the referral came in (without a referral: at most 366 days ago)</param>
/// <param name="MembersPresent">members of the plan's network who were there (at most 100, each once; absent: none); with <paramref name="ProfessionalsPresent"/> at least one person, else 400 naming membersPresent</param>
/// <param name="ProfessionalsPresent">professionals who were there, by user id (at most 100, each once; absent: none)</param>
/// <param name="Notes">what was agreed (at most 8000 characters; absent: empty)</param>
public sealed record RecordConferenceSessionRequest(
    DateOnly? HeldOn, [property: MaxLength(Bounds.MaxMembersInList)] Guid[]? MembersPresent,
    [property: MaxLength(Bounds.MaxProfessionalsInList)] string?[]? ProfessionalsPresent,
    [property: MaxLength(Bounds.NotesLength)] string? Notes)
{
    /// <summary>
    /// The one place this request becomes its command (the API and the conference page); 400 naming every wrong field.
    /// The date's bounds and "nobody present" are the decision's (they need the plan: its zone, and whether the session
    /// is already recorded).
    /// </summary>
    public Decision<RecordConferenceSession> ToCommand(Guid planId, Caller caller)
    {
        var errors = new FieldErrors().Optional("notes", Notes, Bounds.NotesLength);
        if (HeldOn is null) errors.Add("heldOn", "'heldOn' is required (a date such as 2027-01-04).", "'heldOn' is verplicht (een datum zoals 2027-01-04).");
        var members = Bounds.Members(errors, MembersPresent, "membersPresent");
        var professionals = Bounds.Professionals(errors, ProfessionalsPresent, "professionalsPresent");
        // Nobody present is decided with the plan (RecordConferenceSession.Decide), after the repeat: a retry of a session
        // already recorded answers as a repeat does.
        if (errors.ToRejection() is { } invalid) return invalid;
        return Decision.Accept(new RecordConferenceSession(planId, HeldOn!.Value, members ?? [], professionals ?? [], Notes?.Trim() ?? "", caller));
    }

    /// <summary>POST /api/plans/{planId}/conference-sessions: 201 with the session's id (200 with it for a repeat), or 400/403/404/409.</summary>
    public static async Task<CreatedAnswer<CreatedId>> Post(Guid planId, [FromBody] RecordConferenceSessionRequest request, [AsParameters] Sender send) =>
        send.Created(await request.ToCommand(planId, send.Caller).Then(send.Decide), session => $"/api/plans/{planId}/conference-sessions/{session.Id}");
}

/// <summary>
/// Records a session of the network conference (../shared/domain.md, "The practice around the plan"). One session per
/// day: its id follows from the plan and <see cref="HeldOn"/> (<see cref="SessionId"/>), so the same session sent again
/// appends nothing and answers its id, and a different session on a day that has one is 409. Allowed while the plan is
/// a draft or active (a conference may go on after the plan was agreed at it), not once it is closed.
/// </summary>
public sealed record RecordConferenceSession(
    Guid PlanId, DateOnly HeldOn, IReadOnlyList<Guid> MembersPresent, IReadOnlyList<string> ProfessionalsPresent, string Notes, Caller Caller)
    : IPlanCommand<CreatedId>
{
    Decision<CreatedId> IPlanCommand<CreatedId>.Decide(Plan? plan, DateTimeOffset now) => Decide(plan, this, now);

    /// <summary>The session's id: derived from the plan and the day (one session per day), so every retry names the same session.</summary>
    public static Guid SessionId(Guid planId, DateOnly heldOn) =>
        DerivedId.From(planId, $"conference-session/{heldOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");

    /// <summary>
    /// <see cref="ConferenceSessionHeld"/>, or: 404 (plan, or a member present who is not in its network), 409 (closed,
    /// or another session on that day), 400 naming <c>heldOn</c> (after today in the plan's zone, before the referral
    /// was received, or more than 366 days ago) or <c>membersPresent</c> (nobody present); <see cref="Decision.Repeat{T}"/>
    /// for the same session again. The repeat is decided first: a retry of a session already recorded (also one recorded
    /// before a rule that would now refuse it, such as nobody present) answers its id, never 400.
    /// </summary>
    public static Decision<CreatedId> Decide(Plan? plan, RecordConferenceSession command, DateTimeOffset now)
    {
        if (plan.MustBeOpen(command.PlanId) is { } rejected) return rejected;
        var id = SessionId(plan!.Id, command.HeldOn);
        if (plan.ConferenceSessions.FirstOrDefault(s => s.SessionId == id) is { } held)
            return SameSession(held, command)
                ? Decision.Repeat(new CreatedId(id))
                : Rejection.Conflict($"A different conference session was already recorded on {command.HeldOn:yyyy-MM-dd}; one session is recorded per day.",
                    $"Op {command.HeldOn:dd-MM-yyyy} is al een andere sessie van de netwerkconferentie vastgelegd; per dag wordt één sessie vastgelegd.");
        var errors = new FieldErrors();
        if (command.MembersPresent.Count == 0 && command.ProfessionalsPresent.Count == 0)
            errors.Add("membersPresent", "A session needs someone present: at least one network member or professional.",
                "Bij een sessie moet iemand aanwezig zijn: minstens één netwerklid of professional.");
        var receivedOn = plan.Referral?.ReceivedOn;
        Bounds.PastDay(errors, command.HeldOn, plan.Today(now), "heldOn", receivedOn, receivedOn is { } r
            ? new Text($"'heldOn' may not be before the referral was received ({r:yyyy-MM-dd}).", $"'heldOn' mag niet vóór de aanmelding ({r:dd-MM-yyyy}) liggen.")
            : null);
        if (errors.ToRejection() is { } invalid) return invalid;
        foreach (var member in command.MembersPresent)
            if (plan.ActiveMember(member) is null) return PlanGuards.MemberNotFound(member);
        return Decision.Accept(new CreatedId(id),
            new ConferenceSessionHeld(id, command.HeldOn, command.MembersPresent.ToList(), command.ProfessionalsPresent.ToList(), command.Notes, now));
    }

    private static bool SameSession(ConferenceSessionHeld held, RecordConferenceSession command) =>
        held.MembersPresent.ToHashSet().SetEquals(command.MembersPresent)
        && held.ProfessionalsPresent.ToHashSet(StringComparer.Ordinal).SetEquals(command.ProfessionalsPresent)
        && held.Notes == command.Notes;
}
