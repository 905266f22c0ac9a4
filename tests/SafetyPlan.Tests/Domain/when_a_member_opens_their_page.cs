using SafetyPlan.Plans;
using SafetyPlan.Reports;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>What the member page lists: today's occurrences (also the next one today, to report ahead) and the last few days.</summary>
public sealed class when_a_member_opens_their_page
{
    [Fact]
    public void in_the_morning_today_s_pick_up_is_listed_ahead_and_open()
    {
        var agenda = MemberAgenda.For(Active(), Oma, Monday.AddHours(1)); // Monday 09:00, pick-up at 15:00
        var item = agenda.ShouldHaveSingleItem();
        item.Today.ShouldBeTrue();
        item.State.ShouldBe(OccurrenceState.Open);
        item.Occurrence.ShouldBe(Monday.AddHours(7));
    }

    [Fact]
    public void on_wednesday_evening_the_reported_and_missed_days_are_listed_newest_first()
    {
        var plan = Active()
            .With([new CheckInLogged(Guid.NewGuid(), "c1", PickUp, Oma, CheckInOutcome.Kept, null, Monday.AddHours(7), Monday.AddHours(8))])
            .With([new CheckInMissed(PickUp, Monday.AddDays(1).AddHours(7), Monday.AddDays(1).AddHours(11), Monday.AddDays(1).AddHours(11))]);
        var agenda = MemberAgenda.For(plan, Oma, Monday.AddDays(2).AddHours(10)); // Wednesday 18:00

        agenda.Select(i => (i.Occurrence, i.State, i.Today)).ShouldBe([
            (Monday.AddDays(2).AddHours(7), OccurrenceState.Open, true),
            (Monday.AddDays(1).AddHours(7), OccurrenceState.Missed, false),
            (Monday.AddHours(7), OccurrenceState.Kept, false),
        ]);
    }

    [Fact]
    public void another_member_and_a_closed_plan_have_nothing_to_report()
    {
        MemberAgenda.For(Active(), Guid.NewGuid(), Monday.AddHours(1)).ShouldBeEmpty();
        var closed = Active().With([new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Close, "Klaar", null, 1, Monday.AddHours(2))]);
        MemberAgenda.For(closed, Oma, Monday.AddHours(3)).ShouldBeEmpty();
    }
}
