using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// A database from before deliveries were named by organisation and plan: events keyed the old way (the key is
/// unchanged), and an inbox with one item for two plans' deliveries. The upgrade rebuilds the inbox; each delivery
/// still goes out once, under its own id.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_deliveries_were_queued_before_their_id_named_the_plan(ServerFixture server)
{
    [Fact]
    public async Task each_is_delivered_once_with_its_own_message_id_and_the_inbox_gets_one_item_per_plan()
    {
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var email = await server.Professional(monitor);
        var professional = server.As(monitor, "professional");
        var plans = new[]
        {
            await (await professional.Post("/api/plans", new { title = "A", family = "F", monitorId = monitor })).CreatedId(),
            await (await professional.Post("/api/plans", new { title = "B", family = "F", monitorId = monitor })).CreatedId(),
        };
        var queued = Notify.Professional(NotificationSubject.EvaluationOverdue, "2027-02-01", monitor, await server.Now()).First();
        queued.Key.ShouldBe($"evaluationoverdue:2027-02-01:user/{monitor}:email");
        var ids = plans.Select(p => $"default/{p}/{queued.Key}").Order().ToArray();
        await using (var session = server.Store.LightweightSession())
        {
            foreach (var plan in plans) session.Events.Append(plan, queued);
            await session.SaveChangesAsync();
        }
        await using (var session = server.Store.LightweightSession())
        {
            // What the inbox held before: one item under the bare key, the first plan's; the second plan's was never made.
            session.Delete<InboxItem>(ids[0]);
            session.Delete<InboxItem>(ids[1]);
            session.Store(new InboxItem
            {
                Id = queued.Key, PlanId = plans[0], Subject = queued.Subject, Reference = queued.Reference, RecipientUserId = monitor,
                Channel = NotificationChannel.Email, Delivery = DeliveryStatus.Queued, QueuedAt = queued.At,
            });
            await session.SaveChangesAsync();
        }

        var upgrade = new NotificationInboxUpgrade(server.Store, NullLogger<NotificationInboxUpgrade>.Instance);
        (await upgrade.Run(CancellationToken.None)).ShouldBeTrue();
        (await upgrade.Run(CancellationToken.None)).ShouldBeFalse(); // once: nothing of the old shape is left

        var inbox = await Inbox(monitor);
        inbox.Select(i => (i.Id, i.Key, i.Delivery)).OrderBy(i => i.Id)
            .ShouldBe(ids.Select(id => (id, (string?)queued.Key, DeliveryStatus.Queued)));

        await server.Advance("PT0S");

        var messages = await server.Smtp.WaitFor(email, 2);
        messages.Select(m => m.Headers[EmailSender.DeliveryHeader]).Order().ShouldBe(ids);
        messages.Select(m => m.MessageId).Order().ShouldBe(ids.Select(EmailSender.MessageId).Order());
        await server.DeliveriesSettled();
        (await Inbox(monitor)).ShouldAllBe(i => i.Delivery == DeliveryStatus.Sent);
        await server.Advance("PT1H");
        server.Smtp.MessagesTo(email).Count.ShouldBe(2);
    }

    private async Task<IReadOnlyList<InboxItem>> Inbox(string userId)
    {
        await using var session = server.Store.QuerySession();
        return await session.Query<InboxItem>().Where(i => i.RecipientUserId == userId).ToListAsync();
    }
}
