using SafetyPlan.Agreements;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The member page's "our plan" and "this week's agreements for me" (MemberAgenda.OurPlan, MemberAgenda.ThisWeek): the
/// week runs Monday to Sunday in the plan's zone, each occurrence with its state, only agreements the member reports on.
/// </summary>
public sealed class when_a_member_reads_their_own_plan
{
    private static readonly Guid Neighbour = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly Guid Mother = Guid.Parse("55555555-5555-5555-5555-555555555555");
    private static readonly Guid Goal = Guid.Parse("66666666-6666-6666-6666-666666666666");
    private static readonly Guid Call = Guid.Parse("77777777-7777-7777-7777-777777777777");
    private static readonly Guid Old = Guid.Parse("88888888-8888-8888-8888-888888888888");

    /// <summary>Oma picks up daily at 15:00; mother calls on Tuesdays and Fridays at 20:00 (the neighbour may report, Oma watches), for a goal.</summary>
    private static Plan Network() => Build([
        .. DraftedPlan(),
        new MemberAdded(Neighbour, "Buurvrouw Ans", MemberRole.Network, "ans@example.org", "0612345678", Monday),
        new MemberAdded(Mother, "Moeder Sanne", MemberRole.Parent, "sanne@example.org", "0687654321", Monday),
        new SafetyGoalSet(Goal, "Zorgen over de avonden", "De kinderen zijn elke avond veilig thuis.", Monday),
        new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday),
        new AgreementMade(Call, "Moeder belt oma", Mother, Goal, new Schedule(Weekly: [DayOfWeek.Tuesday, DayOfWeek.Friday], At: new TimeOnly(20, 0)),
            TimeSpan.FromHours(2), Monday, Reporters: [Neighbour], Watchers: [Oma]),
        new AgreementMade(Old, "Vervallen afspraak", Oma, Goal, new Schedule(Daily: new TimeOnly(9, 0)), TimeSpan.FromHours(1), Monday),
        new AgreementWithdrawn(Old, "Niet meer nodig", Monday.AddMinutes(1)),
        new PlanAgreed(new DateOnly(2027, 3, 1), Monday),
    ]);

    [Fact]
    public void on_wednesday_evening_the_week_shows_monday_kept_tuesday_reported_late_today_open_and_the_rest_to_come()
    {
        var tuesday = Monday.AddDays(1).AddHours(7);
        var plan = Network().With([
            new CheckInLogged(Guid.NewGuid(), "c1", PickUp, Oma, CheckInOutcome.Kept, null, Monday.AddHours(7), Monday.AddHours(8)),
            new CheckInMissed(PickUp, tuesday, tuesday.AddHours(4), tuesday.AddHours(4)),
            new CheckInLogged(Guid.NewGuid(), "c2", PickUp, Oma, CheckInOutcome.Kept, null, tuesday, tuesday.AddHours(6), Late: true),
        ]);
        var week = MemberAgenda.ThisWeek(plan, Oma, Monday.AddDays(2).AddHours(10)); // Wednesday 18:00, pick-up at 15:00

        week.Select(i => (i.Occurrence, i.State)).ShouldBe(Enumerable.Range(0, 7).Select(day => (Monday.AddDays(day).AddHours(7), day switch
        {
            0 => WeekState.Kept, 1 => WeekState.Late, 2 => WeekState.Open, _ => WeekState.ToCome,
        })));
        week.ShouldAllBe(i => i.AgreementId == PickUp && i.Responsible); // not mother's call Oma only watches, not the withdrawn one
    }

    [Fact]
    public void a_named_reporter_sees_the_agreement_s_occurrences_of_the_week_and_a_member_of_no_agreement_sees_none()
    {
        var plan = Network().With([
            new CheckInLogged(Guid.NewGuid(), "c1", Call, Neighbour, CheckInOutcome.Partly, null, Monday.AddDays(1).AddHours(12), Monday.AddDays(1).AddHours(13)),
        ]);
        var week = MemberAgenda.ThisWeek(plan, Neighbour, Monday.AddDays(5)); // Saturday 08:00

        week.Select(i => (i.Occurrence, i.State, i.Responsible)).ShouldBe([
            (Monday.AddDays(1).AddHours(12), WeekState.Partly, false),
            (Monday.AddDays(4).AddHours(12), WeekState.Open, false),
        ]);
        MemberAgenda.ThisWeek(plan, Guid.NewGuid(), Monday.AddDays(5)).ShouldBeEmpty();
    }

    [Fact]
    public void the_week_of_the_change_to_summer_time_ends_on_sunday_at_three_in_the_afternoon_summer_time()
    {
        var week = MemberAgenda.ThisWeek(Network(), Oma, new DateTimeOffset(2027, 3, 24, 12, 0, 0, TimeSpan.FromHours(1)));

        week.Count.ShouldBe(7);
        week[0].Occurrence.ShouldBe(new DateTimeOffset(2027, 3, 22, 15, 0, 0, TimeSpan.FromHours(1)));
        week[^1].Occurrence.ShouldBe(new DateTimeOffset(2027, 3, 28, 15, 0, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void our_plan_lists_each_goal_with_its_agreements_who_does_them_and_how_they_concern_the_member()
    {
        var plan = MemberAgenda.OurPlan(Network(), Oma);

        plan.Select(g => g.Goal).ShouldBe(["De kinderen zijn elke avond veilig thuis.", null]);
        plan[0].Agreements.Select(a => (a.Text, a.Who, a.Mine, a.IReport, a.IWatch)).ShouldBe([("Moeder belt oma", "Moeder Sanne", false, false, true)]);
        plan[1].Agreements.Select(a => (a.Text, a.Who, a.Mine, a.IReport, a.IWatch)).ShouldBe([("Oma haalt op", "Oma Riet", true, false, false)]);
        MemberAgenda.OurPlan(Network(), Neighbour)[0].Agreements.Single().IReport.ShouldBeTrue();
    }

    [Fact]
    public void a_plan_not_yet_agreed_shows_no_plan_and_no_week()
    {
        var draft = Build([.. DraftedPlan(), new AgreementMade(PickUp, "Oma haalt op", Oma, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(4), Monday)]);
        MemberAgenda.OurPlan(draft, Oma).ShouldBeEmpty();
        MemberAgenda.ThisWeek(draft, Oma, Monday.AddHours(1)).ShouldBeEmpty();
    }
}
