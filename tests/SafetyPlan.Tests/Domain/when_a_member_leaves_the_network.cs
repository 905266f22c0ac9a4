using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>Nobody removed from a plan is told anything more: nothing new is queued to them, and nothing queued goes out.</summary>
public sealed class when_a_member_leaves_the_network
{
    private static readonly Guid Buurman = Guid.Parse("55555555-5555-5555-5555-555555555555");

    private static Plan WithBuurman(string? email = "kees@example.org") =>
        Active().With([new MemberAdded(Buurman, "Buurman Kees", MemberRole.Network, email, null, Monday)]);

    [Fact]
    public void what_was_still_queued_to_them_is_skipped_with_the_removal_and_what_was_sent_stays_sent()
    {
        var plan = WithBuurman();
        var (sent, queued) = (Notify.Member(plan, NotificationSubject.EvaluationReminder, "2027-03-01/7", Buurman, Monday).First(),
            Notify.Member(plan, NotificationSubject.EvaluationReminder, "2027-03-01/1", Buurman, Monday.AddDays(6)).First());
        plan.With([sent, new NotificationSent(sent.Key, "kees@example.org", Monday), queued,
            new NotificationFailed(queued.Key, 1, "451", Monday.AddDays(6).AddMinutes(1), Monday.AddDays(6))]);
        var at = Monday.AddDays(6).AddMinutes(30);

        Given(plan)
            .When(p => RemoveMember.Decide(p, new RemoveMember(PlanId, Buurman, "Verhuisd", TheMonitor), at))
            .Then(new MemberRemoved(Buurman, "Verhuisd", at),
                new NotificationSkipped("evaluationreminder:2027-03-01/1:member/55555555-5555-5555-5555-555555555555:email",
                    "The recipient was removed from the plan's network before it was delivered.", at))
            .AndThePlan();
        plan.Deliveries[sent.Key].Status.ShouldBe(DeliveryStatus.Sent);
        plan.Deliveries[queued.Key].Status.ShouldBe(DeliveryStatus.Skipped);
    }

    [Fact]
    public void nothing_new_is_queued_to_them()
    {
        var plan = WithBuurman().With([new MemberRemoved(Buurman, "Verhuisd", Monday)]);

        Notify.Member(plan, NotificationSubject.EvaluationReminder, "2027-03-01/1", Buurman, Monday).ShouldBeEmpty();
        Notify.EvaluationReminder(plan, "2027-03-01/1", Monday).Select(n => n.Key).ShouldNotContain(key => key.Contains($"member/{Buurman}"));
    }

    [Fact]
    public void every_member_still_in_the_network_is_reminded_of_the_evaluation_also_one_without_an_e_mail_address()
    {
        // Buurman without an e-mail address: were he still in the network, the inbox and push would reach him too.
        var plan = WithBuurman(email: null).With([new MemberRemoved(Buurman, "Verhuisd", Monday)]);
        Notify.EvaluationReminder(WithBuurman(email: null), "2027-03-01/1", Monday).ShouldContain(n => n.RecipientMemberId == Buurman);

        Notify.EvaluationReminder(plan, "2027-03-01/1", Monday).Select(n => n.Key).ShouldBe([
            "evaluationreminder:2027-03-01/1:user/anna:email", "evaluationreminder:2027-03-01/1:user/anna:push",
            $"evaluationreminder:2027-03-01/1:member/{Oma}:email", $"evaluationreminder:2027-03-01/1:member/{Oma}:push",
            "evaluationreminder:2027-03-01/1:organisation:webhook",
        ]); // Oma, still in the network, is reminded; Buurman, removed, is not
    }

    [Fact]
    public void a_delivery_queued_to_them_that_the_removal_did_not_end_is_not_attempted()
    {
        // As a database from before removals ended deliveries holds them: removed, and the reminder still queued.
        var plan = WithBuurman();
        var queued = Notify.Member(plan, NotificationSubject.EvaluationReminder, "2027-03-01/1", Buurman, Monday).First();
        plan.With([queued, new MemberRemoved(Buurman, "Verhuisd", Monday.AddMinutes(1))]);

        Notify.RecipientLeft(plan, plan.Deliveries[queued.Key]).ShouldBeTrue();
        var kept = Notify.Professional(NotificationSubject.EvaluationReminder, "2027-03-01/1", "anna", Monday).First();
        Notify.RecipientLeft(plan.With([kept]), plan.Deliveries[kept.Key]).ShouldBeFalse();
    }
}
