using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using SafetyPlan.History;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using SafetyPlan.Privacy;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>RecordDelivery and DeliveryPolicy: which failures end a delivery at once, and how long the others are retried.</summary>
public sealed class when_a_delivery_attempt_fails
{
    private static readonly NotificationQueued Queued = Notify.Professional(NotificationSubject.EscalationRaised, "e1", "anna", Monday).First();

    private static object[] QueuedDelivery => [.. ActivePlan(), Queued];

    private static Plan WithQueuedDelivery() => Build(QueuedDelivery);

    private static DeliveryAttempt.Failed Smtp(SmtpErrorCode error, int status) =>
        new(DeliveryPolicy.Classify(new SmtpCommandException(error, (SmtpStatusCode)status, $"{status} refused")), $"{status} refused");

    [Fact]
    public void a_recipient_refused_for_good_ends_the_delivery_as_failed_at_once_and_is_never_tried_again()
    {
        var refused = Given(QueuedDelivery)
            .When(plan => RecordDelivery.Decide(plan, Queued.Key, Smtp(SmtpErrorCode.RecipientNotAccepted, 550), Monday.AddMinutes(1)))
            .Then(new NotificationAbandoned(Queued.Key, AbandonReason.Refused, "smtp-550", 1, Monday.AddMinutes(1)));

        refused.Decision.Result.ShouldBe(DeliveryOutcome.Failed);
        var plan = refused.AndThePlan();
        var delivery = plan.Deliveries[Queued.Key];
        (delivery.Status, delivery.Attempts, delivery.Failure).ShouldBe((DeliveryStatus.Failed, 1, "smtp-550"));
        Scheduling.Deadlines.Upcoming(plan).ShouldNotContain(d => d.Kind == Scheduling.DeadlineKind.Delivery);
        PlanStatusView.Status(plan, Monday.AddMinutes(2)).Notifications.Single().ShouldBe(new NotificationView(
            NotificationSubject.EscalationRaised, "e1", "anna", null, NotificationChannel.Email, DeliveryStatus.Failed, 1, Monday, null, "smtp-550"));

        var again = RecordDelivery.Decide(plan, Queued.Key, new DeliveryAttempt.Sent("anna@jeugdzorg.test"), Monday.AddMinutes(3));
        again.Repeated.ShouldBeTrue();
        again.Events.ShouldBeEmpty();
        again.Result.ShouldBe(DeliveryOutcome.Failed);
    }

    [Fact]
    public void the_outcomes_of_several_attempts_are_one_decision_in_their_order_and_recorded_again_change_nothing()
    {
        var queued = Notify.ProfessionalAndOrganisation(NotificationSubject.EscalationRaised, "e2", "anna", Monday).ToList();
        var plan = Build([.. ActivePlan(), .. queued]);
        var before = plan.Version;
        List<(string, DeliveryAttempt)> attempts =
        [
            (queued[0].Key, new DeliveryAttempt.Sent("anna@jeugdzorg.test")),
            (queued[1].Key, new DeliveryAttempt.Skipped(NotificationDispatcher.NoPushSubscription)),
            (queued[2].Key, Smtp(SmtpErrorCode.RecipientNotAccepted, 451)),
        ];

        var decided = RecordDelivery.Decide(plan, attempts, Monday.AddMinutes(1));

        decided.Result.ShouldBe([DeliveryOutcome.Sent, DeliveryOutcome.Skipped, DeliveryOutcome.Retrying]);
        decided.Events.Select(e => e.GetType()).ShouldBe([typeof(NotificationSent), typeof(NotificationSkipped), typeof(NotificationFailed)]);
        plan.Deliveries.Values.ShouldAllBe(d => d.Status == DeliveryStatus.Queued); // the plan given is not touched
        plan.Version.ShouldBe(before);
        plan.With(decided.Events);
        var again = RecordDelivery.Decide(plan, attempts.Take(2).ToList(), Monday.AddMinutes(2));
        (again.Repeated, again.Events.Count).ShouldBe((true, 0));
        again.Result.ShouldBe([DeliveryOutcome.Sent, DeliveryOutcome.Skipped]);
    }

    [Fact]
    public void temporary_failures_are_retried_after_1_2_4_to_32_minutes_then_hourly_and_end_as_failed_24_hours_after_queueing()
    {
        var plan = WithQueuedDelivery();
        var attempts = new List<DateTimeOffset>();
        var at = Monday;
        var failed = Smtp(SmtpErrorCode.RecipientNotAccepted, 451);
        while (plan.Deliveries[Queued.Key].Status == DeliveryStatus.Queued && attempts.Count < 100)
        {
            attempts.Add(at);
            plan.With(RecordDelivery.Decide(plan, Queued.Key, failed, at).Events);
            at = plan.Deliveries[Queued.Key].NextAttemptAt;
        }

        // 0, 1, 3, 7, 15, 31, 63 minutes, then every hour until 1383, and a last attempt at exactly 24 h (1440).
        attempts.Select(a => (int)(a - Monday).TotalMinutes)
            .ShouldBe([0, 1, 3, 7, 15, 31, .. Enumerable.Range(0, 23).Select(i => 63 + 60 * i), 1440]);
        var delivery = plan.Deliveries[Queued.Key];
        (delivery.Status, delivery.Attempts, delivery.Failure).ShouldBe((DeliveryStatus.Failed, 30, "smtp-451"));
        RecordDelivery.Decide(plan, Queued.Key, failed, Monday.AddDays(2)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void the_last_temporary_failure_names_why_the_delivery_was_given_up()
    {
        var timeout = new DeliveryAttempt.Failed(DeliveryPolicy.Classify(new TaskCanceledException("The request timed out")), "The request timed out");

        Given(QueuedDelivery)
            .When(plan => RecordDelivery.Decide(plan, Queued.Key, timeout, Monday + DeliveryPolicy.RetryFor))
            .Then(new NotificationAbandoned(Queued.Key, AbandonReason.RetriesExhausted, "timeout", 1, Monday + DeliveryPolicy.RetryFor));
    }

    [Fact]
    public void a_temporary_failure_records_the_error_and_when_the_next_attempt_is_due()
    {
        Given(QueuedDelivery)
            .When(plan => RecordDelivery.Decide(plan, Queued.Key, Smtp(SmtpErrorCode.RecipientNotAccepted, 451), Monday))
            .Then(new NotificationFailed(Queued.Key, 1, "451 refused", Monday.AddMinutes(1), Monday))
            .Decision.Result.ShouldBe(DeliveryOutcome.Retrying);
    }

    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 550, "smtp-550", true)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 553, "smtp-553", true)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 554, "smtp-data-554", true)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 451, "smtp-451", false)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 450, "smtp-450", false)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 452, "smtp-data-452", false)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, 550, "smtp-550", false)] // our own From: the operator can mend it
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, 530, "smtp-530", false)]
    public void an_smtp_refusal_is_permanent_only_with_a_5xx_for_the_recipient_or_the_message(SmtpErrorCode error, int status, string code, bool permanent) =>
        DeliveryPolicy.Classify(new SmtpCommandException(error, (SmtpStatusCode)status, "refused")).ShouldBe(new DeliveryFailure(code, permanent));

    [Theory]
    [InlineData(400, true)]
    [InlineData(401, true)]
    [InlineData(404, true)]
    [InlineData(410, true)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void a_webhook_answer_is_permanent_for_4xx_except_408_and_429(int status, bool permanent) =>
        DeliveryPolicy.Classify(new HttpRequestException("no", null, (HttpStatusCode)status)).ShouldBe(new DeliveryFailure($"http-{status}", permanent));

    [Fact]
    public void connections_refused_timeouts_and_the_unknown_are_temporary()
    {
        DeliveryPolicy.Classify(new SocketException((int)SocketError.ConnectionRefused)).ShouldBe(new DeliveryFailure("connection", false));
        DeliveryPolicy.Classify(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))).ShouldBe(new DeliveryFailure("connection", false));
        DeliveryPolicy.Classify(new IOException("reset")).ShouldBe(new DeliveryFailure("connection", false));
        DeliveryPolicy.Classify(new TimeoutException()).ShouldBe(new DeliveryFailure("timeout", false));
        DeliveryPolicy.Classify(new TaskCanceledException()).ShouldBe(new DeliveryFailure("timeout", false));
        DeliveryPolicy.Classify(new SmtpProtocolException("bye")).ShouldBe(new DeliveryFailure("smtp-protocol", false));
        DeliveryPolicy.Classify(new InvalidOperationException("?")).ShouldBe(new DeliveryFailure("error", false));
    }

    [Fact]
    public void a_failed_delivery_is_described_in_english_and_dutch_and_holds_no_personal_data()
    {
        var refused = new NotificationAbandoned(Queued.Key, AbandonReason.Refused, "smtp-550", 1, Monday);
        var exhausted = new NotificationAbandoned(Queued.Key, AbandonReason.RetriesExhausted, "smtp-451", 30, Monday);

        EventDescriptions.Describe(refused).ShouldBe(new Decisions.Text(
            "Notification failed: the receiver refused it for good (smtp-550, attempt 1); it is not tried again.",
            "Bericht mislukt: de ontvanger weigert het definitief (smtp-550, poging 1); het wordt niet opnieuw geprobeerd."));
        EventDescriptions.Describe(exhausted).ShouldBe(new Decisions.Text(
            "Notification failed: still not delivered after 30 attempts (smtp-451); it is not tried again.",
            "Bericht mislukt: na 30 pogingen nog niet afgeleverd (smtp-451); het wordt niet opnieuw geprobeerd."));
        PersonalDataMasking.Apply(refused).ShouldBeSameAs(refused);
    }
}
