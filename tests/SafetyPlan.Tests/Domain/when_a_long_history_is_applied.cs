using SafetyPlan.Agreements;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// Applying a check-in or a missed check-in no longer sorts the agreement's occurrences every time nor looks the plan's
/// time zone up every time (rebuilding projections, README "Performance"). The plan must come out exactly as before:
/// these tests compare it with the former rule (sort after every report, then settle while the next occurrence has a
/// check-in or was missed), written out here.
/// </summary>
public sealed class when_a_long_history_is_applied
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private sealed record Expected(DateTimeOffset Occurrence, CheckInOutcome? Outcome, bool Missed);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void reports_in_any_order_leave_the_same_occurrences_in_order_and_the_same_open_deadline_as_sorting_after_every_report(int seed)
    {
        var random = new Random(seed);
        var plan = Active();
        var agreement = plan.FindAgreement(PickUp)!;
        var days = Enumerable.Range(0, 120).Select(d => Schedule.ToInstant(Monday.Date.AddDays(d).AddHours(15), Amsterdam)).ToArray();
        var expected = new List<Expected>();
        DateTimeOffset? settled = null;

        for (var i = 0; i < 400; i++)
        {
            // Mostly the next occurrences in turn, sometimes a late report or a correction of an earlier day.
            var occurrence = random.Next(4) == 0 ? days[random.Next(days.Length)] : days[Math.Min(days.Length - 1, i / 3)];
            var at = occurrence.AddMinutes(10);
            if (random.Next(5) == 0)
            {
                plan.With([new CheckInMissed(PickUp, occurrence, occurrence.AddHours(4), at)]);
                var index = expected.FindIndex(o => o.Occurrence == occurrence);
                if (index < 0) expected.Add(new Expected(occurrence, null, true));
                else if (expected[index].Outcome is null) expected[index] = expected[index] with { Missed = true };
            }
            else
            {
                var outcome = (CheckInOutcome)random.Next(3);
                plan.With([new CheckInLogged(Guid.NewGuid(), $"c{i}", PickUp, Oma, outcome, null, occurrence, at)]);
                var index = expected.FindIndex(o => o.Occurrence == occurrence);
                var record = new Expected(occurrence, outcome, false);
                if (index < 0) expected.Add(record); else expected[index] = record;
            }
            expected.Sort((a, b) => a.Occurrence.CompareTo(b.Occurrence));
            var from = settled ?? agreement.StartsAfter(plan);
            while (agreement.Schedule.Next(from, Amsterdam) is { } next && expected.Any(o => o.Occurrence == next && (o.Outcome is not null || o.Missed)))
                from = next;
            settled = from;

            agreement.Occurrences.Select(o => new Expected(o.Occurrence, o.Outcome, o.Missed)).ShouldBe(expected);
            agreement.SettledUntil.ShouldBe(settled);
        }
    }

    [Fact]
    public void occurrences_stored_out_of_order_are_put_in_order_by_the_next_report()
    {
        var plan = Active();
        var agreement = plan.FindAgreement(PickUp)!;
        var days = Enumerable.Range(0, 3).Select(d => Schedule.ToInstant(Monday.Date.AddDays(d).AddHours(15), Amsterdam)).ToArray();
        agreement.Occurrences = [new OccurrenceRecord { Occurrence = days[1], Missed = true }, new OccurrenceRecord { Occurrence = days[0], Missed = true }];

        plan.With([new CheckInLogged(Guid.NewGuid(), "c", PickUp, Oma, CheckInOutcome.Kept, null, days[2], days[2].AddMinutes(5))]);

        agreement.Occurrences.Select(o => o.Occurrence).ShouldBe(days);
        agreement.SettledUntil.ShouldBe(days[2]);
    }

    [Fact]
    public void the_time_zone_follows_the_plans_time_zone_when_it_changes()
    {
        var plan = Active();
        plan.Zone().Id.ShouldBe("Europe/Amsterdam");
        plan.Zone().ShouldBeSameAs(plan.Zone());

        plan.TimeZone = "Europe/London";

        plan.Zone().Id.ShouldBe("Europe/London");
        plan.Zone().GetUtcOffset(new DateTime(2027, 1, 4)).ShouldBe(TimeSpan.Zero);
    }
}
