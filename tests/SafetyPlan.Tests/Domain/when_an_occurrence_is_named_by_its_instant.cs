using SafetyPlan.Agreements;
using SafetyPlan.Plans;
using SafetyPlan.Reports;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// A once agreement given as an instant in the hour that repeats when summer time ends (2027-10-31, 02:00-03:00 twice
/// in Amsterdam) is that instant, the second 02:30: a check-in naming it lands on it, one naming the first 02:30 does not.
/// </summary>
public sealed class when_an_occurrence_is_named_by_its_instant
{
    private static readonly DateTimeOffset SecondHalfPastTwo = new(2027, 10, 31, 2, 30, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset FirstHalfPastTwo = new(2027, 10, 31, 2, 30, 0, TimeSpan.FromHours(2));

    private static Plan PlanWithOnceAt(DateTimeOffset once) => Build([
        .. DraftedPlan(),
        new AgreementMade(PickUp, "Oma belt na de nachtdienst", Oma, null, new Schedule(OnceAt: once), TimeSpan.FromHours(4), Monday),
        new PlanAgreed(new DateOnly(2027, 12, 1), Monday),
    ]);

    private static LogCheckIn CheckIn(DateTimeOffset occurrence) =>
        new(PlanId, Guid.NewGuid(), "c1", PickUp, Oma, CheckInOutcome.Kept, null, occurrence, OmaOnHerPhone);

    [Fact]
    public void a_check_in_naming_the_instant_is_booked_on_it()
    {
        var decision = LogCheckIn.Decide(PlanWithOnceAt(SecondHalfPastTwo), CheckIn(SecondHalfPastTwo), SecondHalfPastTwo.AddMinutes(10));

        decision.Rejection.ShouldBeNull();
        decision.Events.OfType<CheckInLogged>().Single().Occurrence.ShouldBe(SecondHalfPastTwo);
    }

    [Fact]
    public void a_check_in_naming_the_other_half_past_two_is_not_an_occurrence()
    {
        var decision = LogCheckIn.Decide(PlanWithOnceAt(SecondHalfPastTwo), CheckIn(FirstHalfPastTwo), SecondHalfPastTwo.AddMinutes(10));

        decision.Rejection.ShouldNotBeNull().Errors!.Keys.ShouldBe(["occurrence"]);
        decision.Events.ShouldBeEmpty();
    }
}
