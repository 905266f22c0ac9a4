using SafetyPlan.Agreements;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>Reachability (domain.md, "The network in the loop"): from the plan's own events, and amber only for a responsible member.</summary>
public sealed class when_a_member_can_no_longer_be_reached
{
    private static readonly DateTimeOffset Tuesday = Monday.AddDays(1);

    /// <summary>The active plan, with Oma (responsible for the pick-up) added with the given e-mail address.</summary>
    private static Plan OmaWith(string? email) => Build(ActivePlan().Select(e => e is MemberAdded added && added.MemberId == Oma ? added with { Email = email } : e));

    private static Member OmaIn(Plan plan) => plan.Members.Single(m => m.Id == Oma);

    private static object[] EmailToOma(string key, object outcome) =>
        [new NotificationQueued(key, NotificationSubject.CheckInReminder, "r", null, Oma, NotificationChannel.Email, Monday), outcome];

    [Fact]
    public void a_responsible_member_without_e_mail_or_push_makes_the_plan_amber_with_the_reason()
    {
        var plan = OmaWith(null);

        Reachability.Of(OmaIn(plan)).ShouldBe(UnreachableReason.NoChannel);
        PlanStatusView.Colour(plan, Tuesday).ShouldBe(StatusColour.Amber);
        var member = PlanStatusView.Status(plan, Tuesday).Members.Single(m => m.Id == Oma);
        (member.Reachable, member.UnreachableReason).ShouldBe((false, UnreachableReason.NoChannel));
        PlanStatusView.Summary(plan, Tuesday).Unreachable.ShouldBe([new UnreachableMemberView(Oma, "Oma Riet", null, UnreachableReason.NoChannel)]);
    }

    [Fact]
    public void a_push_subscription_reaches_them_until_the_push_service_says_it_is_gone()
    {
        var plan = OmaWith(null).With([new MemberPushSubscribed(Oma, "ab12", Monday)]);
        (Reachability.Of(OmaIn(plan)), PlanStatusView.Colour(plan, Tuesday)).ShouldBe((null, StatusColour.Green));

        plan.With([new MemberPushEnded(Oma, "ab12", PushEndReason.Gone, "http-410", Tuesday)]);
        (Reachability.Of(OmaIn(plan)), PlanStatusView.Colour(plan, Tuesday)).ShouldBe((UnreachableReason.PushGone, StatusColour.Amber));
    }

    [Fact]
    public void an_e_mail_refused_for_good_leaves_them_unreachable_until_an_e_mail_arrives()
    {
        var plan = OmaWith("riet@example.org").With(EmailToOma("k1", new NotificationAbandoned("k1", AbandonReason.Refused, "smtp-550", 1, Monday)));
        (Reachability.Of(OmaIn(plan)), PlanStatusView.Colour(plan, Tuesday)).ShouldBe((UnreachableReason.EmailRefused, StatusColour.Amber));

        plan.With(EmailToOma("k2", new NotificationSent("k2", "riet@example.org", Tuesday)));
        (Reachability.Of(OmaIn(plan)), PlanStatusView.Colour(plan, Tuesday)).ShouldBe((null, StatusColour.Green));
    }

    [Fact]
    public void a_message_refused_after_the_address_was_taken_leaves_the_address_working()
    {
        // 554 to DATA (a content or size policy): that message ended, but the mailbox exists and the next one may arrive.
        var plan = OmaWith("riet@example.org").With(EmailToOma("k1", new NotificationAbandoned("k1", AbandonReason.Refused, "smtp-data-554", 1, Monday)));
        (Reachability.Of(OmaIn(plan)), PlanStatusView.Colour(plan, Tuesday)).ShouldBe((null, StatusColour.Green));
    }

    [Fact]
    public void temporary_failures_that_ran_out_of_time_and_e_mails_to_professionals_do_not_count()
    {
        var plan = OmaWith("riet@example.org").With([
            .. EmailToOma("k1", new NotificationAbandoned("k1", AbandonReason.RetriesExhausted, "smtp-451", 12, Monday)),
            new NotificationQueued("k3", NotificationSubject.EscalationRaised, "e", "anna", null, NotificationChannel.Email, Monday),
            new NotificationAbandoned("k3", AbandonReason.Refused, "smtp-550", 1, Monday),
        ]);
        Reachability.Of(OmaIn(plan)).ShouldBeNull();
        PlanStatusView.Colour(plan, Tuesday).ShouldBe(StatusColour.Green);
    }

    [Fact]
    public void both_channels_failed_is_named_as_such()
    {
        var plan = OmaWith("riet@example.org").With([
            new MemberPushSubscribed(Oma, "ab12", Monday),
            .. EmailToOma("k1", new NotificationAbandoned("k1", AbandonReason.Refused, "smtp-550", 1, Monday)),
            new MemberPushEnded(Oma, "ab12", PushEndReason.Gone, "http-404", Tuesday),
        ]);
        Reachability.Of(OmaIn(plan)).ShouldBe(UnreachableReason.EmailRefusedAndPushGone);
    }

    [Fact]
    public void only_a_member_responsible_for_an_agreement_in_force_in_an_agreed_plan_turns_it_amber()
    {
        var withdrawn = OmaWith(null).With([new AgreementWithdrawn(PickUp, "Klaar", Monday)]);
        PlanStatusView.Colour(withdrawn, Tuesday).ShouldBe(StatusColour.Green);
        PlanStatusView.Status(withdrawn, Tuesday).Members.Single(m => m.Id == Oma).Reachable.ShouldBe(false); // still listed

        // A once agreement whose moment has passed is not in force: nothing more to remind her of.
        var once = Build([.. DraftedPlan().Select(e => e is MemberAdded added ? added with { Email = null } : e),
            new AgreementMade(PickUp, "Oma komt op bezoek", Oma, null, new Schedule(Once: new DateTime(2027, 1, 5, 15, 0, 0), OnceAt: Monday.AddDays(1).AddHours(7)), TimeSpan.FromHours(2), Monday),
            new PlanAgreed(new DateOnly(2027, 3, 1), Monday)]);
        PlanStatusView.Colour(once, Monday.AddHours(1)).ShouldBe(StatusColour.Amber);
        PlanStatusView.Colour(once, Monday.AddDays(3)).ShouldBe(StatusColour.Green);

        var drafted = Build(DraftedPlan().Select(e => e is MemberAdded added ? added with { Email = null } : e));
        PlanStatusView.Colour(drafted, Tuesday).ShouldBe(StatusColour.Green);
    }

    [Fact]
    public void a_member_asking_sees_only_their_own_reachability()
    {
        var buurman = Guid.NewGuid();
        var plan = OmaWith(null).With([new MemberAdded(buurman, "Buurman", MemberRole.Network, null, null, Monday)]);
        var seen = PlanStatusView.Status(plan, Tuesday, forMember: buurman).Members;
        (seen.Single(m => m.Id == buurman).UnreachableReason, seen.Single(m => m.Id == Oma).UnreachableReason).ShouldBe((UnreachableReason.NoChannel, null));
        (seen.Single(m => m.Id == buurman).Reachable, seen.Single(m => m.Id == Oma).Reachable).ShouldBe((false, null));
    }

    [Fact]
    public void subscribing_and_ending_are_idempotent_and_only_for_members_in_the_network()
    {
        var plan = OmaWith(null);
        var first = MemberPush.Subscribed(plan, Oma, "ab12", Monday);
        first.Events.ShouldBe([new MemberPushSubscribed(Oma, "ab12", Monday)]);
        plan.With(first.Events);
        MemberPush.Subscribed(plan, Oma, "ab12", Tuesday).Events.ShouldBeEmpty();
        MemberPush.Ended(plan, Oma, "other", PushEndReason.Gone, "http-410", Tuesday).Events.ShouldBeEmpty();
        MemberPush.Subscribed(plan, Guid.NewGuid(), "cd34", Tuesday).Events.ShouldBeEmpty();

        var ended = MemberPush.Ended(plan, Oma, "ab12", PushEndReason.Unsubscribed, null, Tuesday);
        ended.Events.ShouldBe([new MemberPushEnded(Oma, "ab12", PushEndReason.Unsubscribed, null, Tuesday)]);
        plan.With(ended.Events);
        MemberPush.Ended(plan, Oma, "ab12", PushEndReason.Unsubscribed, null, Tuesday).Events.ShouldBeEmpty();
        // Turned off by the member: no channel is left, but nothing failed.
        Reachability.Of(OmaIn(plan)).ShouldBe(UnreachableReason.NoChannel);

        // Gone once, subscribed again and turned off by herself: no channel, not "gone".
        plan.With([new MemberPushSubscribed(Oma, "ab12", Tuesday), new MemberPushEnded(Oma, "ab12", PushEndReason.Gone, "http-410", Tuesday),
            new MemberPushSubscribed(Oma, "cd34", Tuesday), new MemberPushEnded(Oma, "cd34", PushEndReason.Unsubscribed, null, Tuesday)]);
        Reachability.Of(OmaIn(plan)).ShouldBe(UnreachableReason.NoChannel);
    }
}
