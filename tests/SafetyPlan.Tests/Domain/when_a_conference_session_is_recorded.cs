using SafetyPlan.Conference;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The conference in sessions (../shared/domain.md, "The practice around the plan"): one session per day, named by the
/// plan and the day, so that the same session sent again appends nothing; dates judged in the plan's zone.
/// </summary>
public sealed class when_a_conference_session_is_recorded
{
    private static readonly DateOnly Received = new(2026, 12, 28);
    private static readonly DateOnly MondayInAmsterdam = new(2027, 1, 4);

    private static object[] DraftWithReferral() =>
        [.. DraftedPlan(), new ReferralRecorded("Veilig Thuis", Received, 14, Received.AddDays(14), Monday)];

    private static RecordConferenceSession Session(DateOnly heldOn, string notes = "Zorgen en krachten in kaart", params Guid[] members) =>
        new(PlanId, heldOn, members.Length == 0 ? [Oma] : members, ["anna", "bart"], notes, TheMonitor);

    [Fact]
    public void a_session_is_held_with_its_members_professionals_and_notes_under_an_id_from_the_plan_and_the_day()
    {
        var outcome = Given(DraftWithReferral()).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam), Monday));

        var held = outcome.Decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ConferenceSessionHeld>();
        held.SessionId.ShouldBe(RecordConferenceSession.SessionId(PlanId, MondayInAmsterdam));
        (held.HeldOn, held.Notes, held.At).ShouldBe((MondayInAmsterdam, "Zorgen en krachten in kaart", Monday));
        held.MembersPresent.ShouldBe([Oma]);
        held.ProfessionalsPresent.ShouldBe(["anna", "bart"]);
        outcome.Decision.Result!.Id.ShouldBe(held.SessionId);
        var plan = outcome.AndThePlan();
        plan.ConferenceSessions.ShouldHaveSingleItem();
        plan.ConferenceDue.ShouldBeNull(); // no longer waiting for the first session
    }

    [Fact]
    public void the_same_session_sent_again_appends_nothing_and_answers_its_id_and_another_on_that_day_is_a_conflict()
    {
        var plan = Given(DraftWithReferral()).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam), Monday)).AndThePlan();

        var again = RecordConferenceSession.Decide(plan, Session(MondayInAmsterdam), Monday.AddHours(1));
        again.Repeated.ShouldBeTrue();
        again.Events.ShouldBeEmpty();
        again.Result!.Id.ShouldBe(RecordConferenceSession.SessionId(PlanId, MondayInAmsterdam));

        Given(plan).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam, "Andere notities"), Monday.AddHours(1)))
            .ThenRejected(RejectionKind.Conflict);
        Given(plan).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam.AddDays(-1), "Een dag eerder"), Monday.AddHours(1)))
            .Decision.Events.ShouldHaveSingleItem(); // another day is another session
    }

    [Fact]
    public void a_day_after_today_in_the_plans_zone_or_before_the_referral_is_refused_naming_held_on()
    {
        // 23:30 UTC on Monday is already Tuesday in Amsterdam: Tuesday is today there, Wednesday is not yet.
        var lateMonday = new DateTimeOffset(2027, 1, 4, 23, 30, 0, TimeSpan.Zero);
        Given(DraftWithReferral()).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam.AddDays(1)), lateMonday)).Decision.Events.ShouldHaveSingleItem();
        Given(DraftWithReferral()).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam.AddDays(2)), lateMonday))
            .ThenRejected(RejectionKind.Invalid).Errors!.Keys.ShouldBe(["heldOn"]);
        Given(DraftWithReferral()).When(p => RecordConferenceSession.Decide(p, Session(Received.AddDays(-1)), Monday))
            .ThenRejected(RejectionKind.Invalid).Errors!.Keys.ShouldBe(["heldOn"]);
    }

    [Fact]
    public void a_member_present_who_is_not_in_the_network_is_not_found_and_a_closed_plan_takes_no_session()
    {
        var stranger = Guid.NewGuid();
        var rejection = Given(DraftWithReferral()).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam, "x", Oma, stranger), Monday))
            .ThenRejected(RejectionKind.NotFound);
        rejection.Detail.En.ShouldContain(stranger.ToString());

        Given(ActivePlan()).And(new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Close, "Klaar", null, 1, Monday))
            .When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam), Monday))
            .ThenRejected(RejectionKind.Conflict);
        Given(ActivePlan()).When(p => RecordConferenceSession.Decide(p, Session(MondayInAmsterdam), Monday))
            .Decision.Events.ShouldHaveSingleItem(); // an agreed plan may still hold a session
    }

    [Fact]
    public void the_request_names_every_wrong_field()
    {
        var request = new RecordConferenceSessionRequest(null, [Oma, Oma], ["anna", "anna"], new string('x', 8001));
        var rejection = request.ToCommand(PlanId, TheMonitor).Rejection.ShouldNotBeNull();
        rejection.Errors!.Keys.Order().ShouldBe(["heldOn", "membersPresent", "notes", "professionalsPresent"]);
    }

    [Fact]
    public void a_new_session_with_nobody_present_is_refused_naming_members_present()
    {
        foreach (var nobody in new[] { new RecordConferenceSessionRequest(MondayInAmsterdam, null, null, "n"), new RecordConferenceSessionRequest(MondayInAmsterdam, [], [], "n") })
        {
            var command = nobody.ToCommand(PlanId, TheMonitor).Result.ShouldNotBeNull(); // decided with the plan, after the repeat
            var refused = Given(DraftWithReferral()).When(p => RecordConferenceSession.Decide(p, command, Monday)).ThenRejected(RejectionKind.Invalid);
            refused.Errors!.Keys.ShouldBe(["membersPresent"]);
            refused.Errors["membersPresent"][0].Nl.ShouldContain("aanwezig");
            refused.Errors["membersPresent"][0].En.ShouldContain("someone present");
        }
        new RecordConferenceSessionRequest(MondayInAmsterdam, null, ["anna"], "n").ToCommand(PlanId, TheMonitor).Accepted.ShouldBeTrue();
        new RecordConferenceSessionRequest(MondayInAmsterdam, [Oma], null, "n").ToCommand(PlanId, TheMonitor).Accepted.ShouldBeTrue();
    }

    [Fact]
    public void a_retry_of_a_session_recorded_with_nobody_present_is_a_repeat_and_not_refused()
    {
        // Recorded before "nobody present" was refused: its retry (the same request again) must still answer its id.
        var id = RecordConferenceSession.SessionId(PlanId, MondayInAmsterdam);
        var recorded = new ConferenceSessionHeld(id, MondayInAmsterdam, [], [], "n", Monday);
        var retry = new RecordConferenceSessionRequest(MondayInAmsterdam, [], [], "n").ToCommand(PlanId, TheMonitor).Result.ShouldNotBeNull();

        var outcome = Given([.. DraftWithReferral(), recorded]).When(p => RecordConferenceSession.Decide(p, retry, Monday.AddHours(1)));
        outcome.Decision.Repeated.ShouldBeTrue();
        outcome.Decision.Result!.Id.ShouldBe(id);
        outcome.Decision.Events.ShouldBeEmpty();
        // A different session with nobody present on that day is the day's conflict, as any different session is.
        var other = new RecordConferenceSessionRequest(MondayInAmsterdam, [], [], "anders").ToCommand(PlanId, TheMonitor).Result!;
        Given([.. DraftWithReferral(), recorded]).When(p => RecordConferenceSession.Decide(p, other, Monday.AddHours(1))).ThenRejected(RejectionKind.Conflict);
    }

    [Fact]
    public void the_audit_facts_list_the_sessions_by_date_not_by_recording()
    {
        var later = new ConferenceSessionHeld(Guid.NewGuid(), MondayInAmsterdam, [Oma], ["anna"], "n", Monday);
        var earlier = new ConferenceSessionHeld(Guid.NewGuid(), MondayInAmsterdam.AddDays(-3), [Oma], ["anna"], "n", Monday.AddHours(1));
        SafetyPlan.CaseAudits.CaseAuditFactsOf.Of([.. DraftWithReferral(), later, earlier]).ConferenceAttendance
            .Select(a => a.HeldOn).ShouldBe([earlier.HeldOn, later.HeldOn]);
    }
}
