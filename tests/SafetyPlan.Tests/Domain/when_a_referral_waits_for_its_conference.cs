using SafetyPlan.Conference;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Scheduling;
using SafetyPlan.Web;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The referral's conference deadline (../shared/domain.md, "The practice around the plan"): a deadline like the others,
/// in the plan's zone, overdue once at the end of its last day while no session was held; the plan is amber then and the
/// monitor is told once.
/// </summary>
public sealed class when_a_referral_waits_for_its_conference
{
    private static readonly DateOnly Received = new(2026, 12, 28);
    private static readonly DateOnly Due = new(2027, 1, 11); // Received + 14 days
    /// <summary>The start of 12 January in Amsterdam (winter time, UTC+1): the first moment the conference is overdue.</summary>
    private static readonly DateTimeOffset EndOfDueDay = new(2027, 1, 12, 0, 0, 0, TimeSpan.FromHours(1));

    private static object[] DraftWithReferral() =>
        [.. DraftedPlan(), new ReferralRecorded("Veilig Thuis", Received, 14, Due, Monday)];

    [Fact]
    public void a_draft_with_a_referral_records_it_with_the_day_its_first_session_is_due()
    {
        var command = new DraftPlanRequest("Plan", "Jansen", "anna", null, null,
            Referral: new ReferralRequest(" Veilig Thuis ", Received, "P2W")).ToCommand(TheMonitor).Result!;
        var decision = DraftPlan.Decide(command, Monday);
        decision.Events.Count.ShouldBe(2);
        decision.Events[1].ShouldBe(new ReferralRecorded("Veilig Thuis", Received, 14, Due, Monday));
    }

    [Theory]
    [InlineData("P6D", false)]
    [InlineData("P7D", true)]
    [InlineData("P6W", true)]
    [InlineData("P91D", true)]
    [InlineData("P92D", false)]
    [InlineData("PT24H", false)]
    [InlineData("P1M", false)]
    public void the_time_to_the_conference_is_whole_days_or_weeks_from_one_to_thirteen_weeks(string within, bool accepted)
    {
        var errors = new FieldErrors();
        var days = Bounds.ConferenceWithinOf(errors, within);
        (days is not null).ShouldBe(accepted);
        errors.Any.ShouldBe(!accepted);
        if (!accepted) errors.ToRejection()!.Errors!.Keys.ShouldBe(["referral.conferenceWithin"]);
        Bounds.ConferenceWithinOf(new FieldErrors(), null).ShouldBe(42); // absent: six weeks
    }

    [Fact]
    public void a_referral_received_after_today_in_the_plans_zone_is_refused_naming_received_on()
    {
        // 23:30 UTC on 4 January is already 5 January in Amsterdam.
        var lateMonday = new DateTimeOffset(2027, 1, 4, 23, 30, 0, TimeSpan.Zero);
        DraftPlan.Decide(Draft(new DateOnly(2027, 1, 5)), lateMonday).Events.Count.ShouldBe(2);
        var refused = DraftPlan.Decide(Draft(new DateOnly(2027, 1, 6)), lateMonday);
        refused.Events.ShouldBeEmpty();
        refused.Rejection!.Errors!.Keys.ShouldBe(["referral.receivedOn"]);
        new DraftPlanRequest("Plan", "Jansen", "anna", null, null, Referral: new ReferralRequest(null, null, null))
            .ToCommand(TheMonitor).Rejection!.Errors!.Keys.Order().ShouldBe(["referral.by", "referral.receivedOn"]);

        static DraftPlan Draft(DateOnly received) =>
            new DraftPlanRequest("Plan", "Jansen", "anna", null, null, Referral: new ReferralRequest("Veilig Thuis", received, "P42D")).ToCommand(TheMonitor).Result!;
    }

    [Fact]
    public void the_conference_is_overdue_once_from_the_end_of_its_last_day_in_the_plans_zone_and_the_monitor_is_told_once()
    {
        var plan = Given(DraftWithReferral()).Plan;
        Deadlines.Upcoming(plan).ShouldContain(new Deadline(EndOfDueDay, DeadlineKind.ConferenceOverdue));
        Sweep.Decide(plan, EndOfDueDay.AddTicks(-1)).Events.ShouldBeEmpty();
        PlanStatusView.Colour(plan, EndOfDueDay.AddTicks(-1)).ShouldBe(StatusColour.Green);

        var late = EndOfDueDay.AddDays(3); // however late the sweep runs, once
        var swept = Sweep.Decide(plan, late).Events;
        swept[0].ShouldBe(new ConferenceOverdue(Due, late));
        swept.OfType<NotificationQueued>().Select(n => (n.Subject, n.Reference, n.RecipientUserId, n.Channel)).ShouldBe([
            (NotificationSubject.ConferenceOverdue, "2027-01-11", "anna", NotificationChannel.Email),
            (NotificationSubject.ConferenceOverdue, "2027-01-11", "anna", NotificationChannel.Push),
            (NotificationSubject.ConferenceOverdue, "2027-01-11", null, NotificationChannel.Webhook),
        ]);
        swept.Count.ShouldBe(4);

        plan.With(swept);
        Sweep.Decide(plan, late.AddDays(30)).Events.ShouldBeEmpty(); // a re-run, or any later sweep, adds nothing
        PlanStatusView.Colour(plan, late).ShouldBe(StatusColour.Amber);
        var status = PlanStatusView.Status(plan, late);
        (status.ConferenceDue, status.ConferenceOverdue).ShouldBe((Due, true));
        PlanStatusView.Summary(plan, late).ConferenceOverdue.ShouldBeTrue();

        // A session, even a late one, ends the waiting: green again, nothing due.
        plan.With([new ConferenceSessionHeld(Guid.NewGuid(), new DateOnly(2027, 1, 14), [Oma], ["anna"], "", late)]);
        PlanStatusView.Colour(plan, late).ShouldBe(StatusColour.Green);
        PlanStatusView.Status(plan, late).ConferenceDue.ShouldBeNull();
        Deadlines.Upcoming(plan).ShouldNotContain(d => d.Kind == DeadlineKind.ConferenceOverdue);
    }

    [Fact]
    public void a_session_held_in_time_leaves_nothing_overdue_and_a_plan_without_a_referral_waits_for_nothing()
    {
        var held = Given([.. DraftWithReferral(), new ConferenceSessionHeld(Guid.NewGuid(), Due, [Oma], ["anna"], "", Monday)]).Plan;
        Sweep.Decide(held, EndOfDueDay.AddDays(1)).Events.ShouldBeEmpty();
        PlanStatusView.Colour(held, EndOfDueDay.AddDays(1)).ShouldBe(StatusColour.Green);

        var without = Given(DraftedPlan()).Plan;
        without.ConferenceDue.ShouldBeNull();
        Deadlines.Upcoming(without).ShouldBeEmpty();
    }
}
