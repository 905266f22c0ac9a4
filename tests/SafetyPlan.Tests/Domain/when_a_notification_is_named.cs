using SafetyPlan.Notifications;
using SafetyPlan.Organisations;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>A delivery's key names it within its plan; its id (inbox, Message-Id, delivery header) names it everywhere.</summary>
public sealed class when_a_notification_is_named
{
    private static readonly Guid OtherPlan = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly string Key = Notify.Professional(NotificationSubject.EvaluationOverdue, "2027-03-01", "anna", Monday).First().Key;

    [Fact]
    public void the_key_is_subject_reference_recipient_and_channel_as_before()
    {
        Key.ShouldBe("evaluationoverdue:2027-03-01:user/anna:email");
        Notify.Organisation(NotificationSubject.EvaluationOverdue, "2027-03-01", Monday).Key.ShouldBe("evaluationoverdue:2027-03-01:organisation:webhook");
    }

    [Fact]
    public void the_same_notice_on_two_plans_has_two_ids_and_two_message_ids()
    {
        var tenant = Tenants.Of("default");

        var first = Notify.DeliveryId(tenant, PlanId, Key);
        var second = Notify.DeliveryId(tenant, OtherPlan, Key);

        first.ShouldBe("default/11111111-1111-1111-1111-111111111111/evaluationoverdue:2027-03-01:user/anna:email");
        second.ShouldBe("default/44444444-4444-4444-4444-444444444444/evaluationoverdue:2027-03-01:user/anna:email");
        EmailSender.MessageId(first).ShouldNotBe(EmailSender.MessageId(second));
        EmailSender.MessageId(first).ShouldMatch("^[0-9a-f]{32}@safetyplan$");
        EmailSender.MessageId(first).ShouldBe(EmailSender.MessageId(Notify.DeliveryId(tenant, PlanId, Key)));
    }

    [Fact]
    public void two_organisations_with_the_same_plan_id_have_different_ids_and_message_ids()
    {
        var ours = Notify.DeliveryId(Tenants.Of("default"), PlanId, Key);
        var theirs = Notify.DeliveryId(Tenants.Of("jeugdzorg noord/oost"), PlanId, Key);

        theirs.ShouldBe("jeugdzorg%20noord%2Foost/11111111-1111-1111-1111-111111111111/evaluationoverdue:2027-03-01:user/anna:email");
        EmailSender.MessageId(theirs).ShouldNotBe(EmailSender.MessageId(ours));
    }
}
