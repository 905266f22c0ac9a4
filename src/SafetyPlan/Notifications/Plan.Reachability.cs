using SafetyPlan.Notifications;

namespace SafetyPlan.Plans; // not this folder's: an event's namespace is stored with it (Plans/PlanEvents.cs)

// Reachability (../shared/domain.md, "The network in the loop"): whether a member of the network can be told anything
// at all. Judged from the plan's own events only, so that a replay of the plan at any moment says what was known then.

/// <summary>
/// A network member's browser subscribed to Web Push (<c>POST /api/me/push-subscriptions</c> signed in as the member).
/// </summary>
/// <param name="Subscription">the subscription's SHA-256 of its endpoint, in hex (Notifications/PushOwner.SubscriptionId): never the endpoint, a capability URL</param>
public sealed record MemberPushSubscribed(Guid MemberId, string Subscription, DateTimeOffset At) : IPlanEvent;

/// <summary>Why a member's push subscription ended: they turned it off, or the push service said it is gone (404/410, RFC 8030 §7.3).</summary>
public enum PushEndReason { Unsubscribed, Gone }

/// <param name="Subscription">as in <see cref="MemberPushSubscribed"/></param>
/// <param name="Failure">with <c>Gone</c>: the push service's answer, <c>http-404</c> or <c>http-410</c></param>
public sealed record MemberPushEnded(Guid MemberId, string Subscription, PushEndReason Reason, string? Failure, DateTimeOffset At) : IPlanEvent;

/// <summary>Why a member cannot be reached: no working channel is left (e-mail and Web Push are the channels that reach out).</summary>
public enum UnreachableReason
{
    /// <summary>No e-mail address and no push subscription.</summary>
    NoChannel,
    /// <summary>The e-mail address was refused permanently (a bounce) and there is no push subscription.</summary>
    EmailRefused,
    /// <summary>The push service said the member's last subscription is gone, and there is no e-mail address.</summary>
    PushGone,
    /// <summary>Both failed permanently.</summary>
    EmailRefusedAndPushGone,
}

public sealed partial class Plan
{
    private void When(MemberPushSubscribed e)
    {
        if (Members.FirstOrDefault(m => m.Id == e.MemberId) is not { } member) return;
        if (!member.PushSubscriptions.Contains(e.Subscription)) member.PushSubscriptions = [.. member.PushSubscriptions, e.Subscription];
        member.PushGone = null; // a new subscription: what went before no longer says why push would not reach them
    }

    private void When(MemberPushEnded e)
    {
        if (Members.FirstOrDefault(m => m.Id == e.MemberId) is not { } member) return;
        member.PushSubscriptions = member.PushSubscriptions.Where(s => s != e.Subscription).ToArray();
        if (e.Reason == PushEndReason.Gone) member.PushGone = e.Failure ?? "gone";
    }

    /// <summary>An e-mail to a member was refused for good, or one arrived: the member's e-mail channel is as the last of them says.</summary>
    private void EmailOutcome(Delivery delivery, string? refused)
    {
        if (delivery.Channel != NotificationChannel.Email || delivery.RecipientMemberId is not { } memberId) return;
        if (Members.FirstOrDefault(m => m.Id == memberId) is { } member) member.EmailRefused = refused;
    }
}

/// <summary>
/// The rule of reachability: a member is reachable while at least one channel that reaches out works, an e-mail address
/// not refused for good since the last e-mail that arrived, or a push subscription (../shared/domain.md, "Reachability").
/// The in-app pages and the calendar feed are read when the member looks, so they reach no one.
/// </summary>
public static class Reachability
{
    /// <summary>Null when the member can be reached, else why not.</summary>
    public static UnreachableReason? Of(Member member)
    {
        if (member.PushSubscriptions.Length > 0) return null;
        var hasEmail = !string.IsNullOrWhiteSpace(member.Email);
        if (hasEmail && member.EmailRefused is null) return null;
        return (hasEmail, member.PushGone is not null) switch
        {
            (true, true) => UnreachableReason.EmailRefusedAndPushGone,
            (true, false) => UnreachableReason.EmailRefused,
            (false, true) => UnreachableReason.PushGone,
            _ => UnreachableReason.NoChannel,
        };
    }

    /// <summary>
    /// The members the plan's status turns amber for at <paramref name="now"/>: responsible for an agreement in force (not
    /// withdrawn, with an occurrence still to come), in an agreed (active) plan, and unreachable. Each once, in the order
    /// of the network.
    /// </summary>
    public static IReadOnlyList<Member> UnreachableResponsible(Plan plan, DateTimeOffset now)
    {
        if (plan.State != PlanState.Active) return [];
        var zone = plan.Zone();
        return plan.Members.Where(m => m.RemovedAt is null && Of(m) is not null
            && plan.Agreements.Any(a => !a.IsWithdrawn && a.ResponsibleMemberId == m.Id && a.Schedule.Next(now, zone) is not null)).ToList();
    }
}
