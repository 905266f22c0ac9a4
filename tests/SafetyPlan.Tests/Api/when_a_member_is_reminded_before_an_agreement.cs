using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Reminders before each occurrence (../shared/domain.md, "The network in the loop"), end to end with the manual clock
/// the SMTP sink and a phone subscribed to the loopback push service: one per open occurrence by each channel to the
/// responsible member, in their language, with nothing of the case; none when someone already reported, none while
/// reminders are off; never twice however often time is moved.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_member_is_reminded_before_an_agreement(ServerFixture server) : IDisposable
{
    private readonly PushService _push = new();

    public void Dispose() => _push.Dispose();

    private sealed record Payload(string Kind, string Title, string Url, string Id);
    private const string AgreementText = "Mama belt elke avond om zes uur met oma Truus over de kinderen Hoekstra";
    private const string Family = "Hoekstra-Vermeulen";
    private const string MemberName = "Truus Hoekstra";

    /// <summary>A plan agreed at noon (Amsterdam) whose member is responsible for a call daily at 18:00 (window 17:00..19:00, reminder 17:30).</summary>
    private sealed record Stage(HttpClient Professional, Guid PlanId, Guid MemberId, Guid AgreementId, string Email, DateTimeOffset Noon, PushService.Subscription Phone);

    /// <param name="push">whether the member's phone subscribed to Web Push (else only e-mail reaches her; the push delivery is skipped)</param>
    private async Task<Stage> Staged(string language, bool? reminders = null, bool push = true)
    {
        var noon = await server.AdvanceToNext(new TimeOnly(12, 0));
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var professional = server.As(monitor, "professional");
        var email = $"m-{Guid.NewGuid():N}@example.org";
        var planId = await (await professional.Post("/api/plans", new { title = $"Plan {Family}", family = Family, monitorId = monitor })).CreatedId();
        var added = await professional.Post($"/api/plans/{planId}/members", reminders is null
            ? new { name = MemberName, role = "network", email, language } as object
            : new { name = MemberName, role = "network", email, language, reminders });
        added.StatusCode.ShouldBe(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var memberId = await added.CreatedId();
        var agreementId = await (await professional.Post($"/api/plans/{planId}/agreements", new
        {
            text = AgreementText, responsibleMemberId = memberId, schedule = new { daily = "18:00" }, grace = "PT1H", remindBefore = "PT30M",
        })).CreatedId();
        (await professional.Post($"/api/plans/{planId}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        // The member's phone installed the member page and said yes to push, as well as having an e-mail address.
        var phone = _push.Subscribe();
        if (push) (await server.As("truus", $"member:{memberId}").Post("/api/me/push-subscriptions", phone.Request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        return new Stage(professional, planId, memberId, agreementId, email, noon, phone);
    }

    private static async Task<List<string>> ReminderKeys(Stage stage) =>
        (await stage.Professional.Get<List<HistoryEntry>>($"/api/plans/{stage.PlanId}/history"))
            .Where(e => e.Type == "notification-queued").Select(e => e.DataAs<DeliveryKey>().Key!)
            .Where(k => k.StartsWith("checkinreminder:", StringComparison.Ordinal) && k.EndsWith(":email", StringComparison.Ordinal)).ToList(); // each has its push twin

    private static string Everything(MimeMessage message) =>
        string.Join('\n', message.Headers.Select(h => $"{h.Field}: {h.Value}").Concat(message.BodyParts.OfType<TextPart>().Select(p => p.Text)));

    /// <summary>Waits for this many messages, then a moment longer, so that a repeat that would come is there to be counted.</summary>
    private async Task<IReadOnlyList<MimeMessage>> Settled(string address, int count)
    {
        await server.Smtp.WaitFor(address, count);
        await Task.Delay(1000);
        return server.Smtp.MessagesTo(address);
    }

    /// <summary>The reminders the member's phone received and decrypted: waits for this many, then a moment longer for a repeat to show.</summary>
    private async Task<List<Payload>> PushedReminders(Stage stage, int count)
    {
        List<Payload> Reminders() => [.. _push.To(stage.Phone).Select(r => JsonSerializer.Deserialize<Payload>(r.Plaintext!, ServerFixture.Json)!).Where(p => p.Kind == "check-in-reminder")];
        for (var until = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < until && Reminders().Count < count; await Task.Delay(100)) { }
        await Task.Delay(1000);
        _push.To(stage.Phone).ShouldAllBe(r => r.Problem == null);
        return Reminders();
    }

    private HttpClient AsMember(Stage stage, string language = "en") => server.As("truus", $"member:{stage.MemberId}", language);

    [Fact]
    public async Task a_member_with_email_gets_exactly_one_reminder_per_open_occurrence_in_their_language_with_nothing_of_the_case()
    {
        var stage = await Staged("en");

        await server.Advance("PT5H29M"); // 17:29
        (await ReminderKeys(stage)).ShouldBeEmpty();
        await server.Advance("PT1M");    // 17:30: thirty minutes before 18:00
        await server.Advance("PT10M");   // time moves on, the sweep runs again
        await server.Advance("PT0S");
        var first = await Settled(stage.Email, 1);
        first.Count.ShouldBe(1);
        (await ReminderKeys(stage)).Count.ShouldBe(1);
        var pushed = (await PushedReminders(stage, 1)).ShouldHaveSingleItem();
        (pushed.Title, pushed.Url).ShouldBe(("Reminder: an agreement of the safety plan is coming up", "/member"));

        var message = first.Single();
        message.Subject.ShouldBe("Reminder: an agreement of the safety plan is coming up");
        message.TextBody!.ShouldContain("http://localhost/member");
        message.TextBody.ShouldContain("18:00");
        foreach (var secret in new[] { AgreementText, "Hoekstra", "Truus", "oma", Family })
            Everything(message).ShouldNotContain(secret, Shouldly.Case.Insensitive);

        await server.Advance("P1D");     // 17:40 the next day: the next occurrence's reminder (17:30) came
        await server.Advance("PT0S");
        var both = await Settled(stage.Email, 2);
        both.Count.ShouldBe(2);
        both.Select(m => m.MessageId).Distinct().Count().ShouldBe(2);
        (await ReminderKeys(stage)).Distinct().Count().ShouldBe(2);
        (await PushedReminders(stage, 2)).Select(p => p.Id).Distinct().Count().ShouldBe(2); // one push per occurrence, each its own

        // The member, signed in, has it in their inbox and on their page ("for you", while it is open).
        var inbox = await AsMember(stage).Get<List<InboxItem>>("/api/notifications");
        inbox.Where(i => i.PlanId == stage.PlanId && i.Subject == "check-in-reminder").Count().ShouldBe(2);
        var page = await (await AsMember(stage).GetAsync("/member")).Content.ReadAsStringAsync();
        page.ShouldContain("id=\"for-you\"");
        page.ShouldContain("Herinnering:"); // pages are in the language chosen on them (Dutch unless chosen otherwise)
    }

    [Fact]
    public async Task hangfires_sweep_queues_the_reminder_and_leaves_its_delivery_to_the_queue_beside_it()
    {
        var stage = await Staged("nl");
        await using var hangfire = await server.HoldBackHangfiresSweep();
        // The plan's deliverer is busy (its advisory lock is taken, as by a dispatcher on another node): a sweep that
        // delivered what it queued would wait here; Hangfire's sweep must not, or one slow plan holds up every alarm.
        await using var busy = await BusyDeliverer.Of(server.ConnectionString, stage.PlanId);

        server.Factory.Services.GetRequiredService<SafetyPlan.Clock.ManualClock>().Advance(TimeSpan.FromHours(5.5)); // 17:30, no sweep yet
        (await HangfiresSweepBeside(busy, "at the reminder")).ShouldBeGreaterThan(0);

        (await ReminderKeys(stage)).Count.ShouldBe(1);
        server.Smtp.MessagesTo(stage.Email).ShouldBeEmpty();
        await busy.Release();
        // The delivery queue's message, enrolled with the reminder, delivers it once the deliverer is free.
        (await Settled(stage.Email, 1)).Count.ShouldBe(1);
        (await PushedReminders(stage, 1)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task hangfires_later_sweeps_leave_a_plan_whose_deliverer_is_busy_to_it_also_once_the_delivery_is_overdue()
    {
        var stage = await Staged("nl");
        await using var hangfire = await server.HoldBackHangfiresSweep();
        await using var busy = await BusyDeliverer.Of(server.ConnectionString, stage.PlanId);

        var clock = server.Factory.Services.GetRequiredService<SafetyPlan.Clock.ManualClock>();
        clock.Advance(TimeSpan.FromHours(5.5)); // 17:30: the sweep queues the reminder, the queue's deliverer waits for the lock
        (await HangfiresSweepBeside(busy, "at the reminder")).ShouldBeGreaterThan(0);
        // Hangfire's next runs: 15 seconds later (the queue's to deliver), and past SafetyNetAfter (the safety net's):
        // the deliverer is busy, and neither run may wait for it.
        foreach (var later in new[] { TimeSpan.FromSeconds(15), SafetyPlan.Scheduling.DeadlineSweep.SafetyNetAfter })
        {
            clock.Advance(later);
            await HangfiresSweepBeside(busy, $"{later} later");
        }
        server.Smtp.MessagesTo(stage.Email).ShouldBeEmpty();
        await busy.Release();
        (await Settled(stage.Email, 1)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task an_e_mail_that_went_out_is_recorded_also_when_the_next_deliverys_lookup_fails_so_it_never_goes_out_again()
    {
        // The member's push subscription cannot be read (as a transient database error or a shutdown would fail it): the
        // reminder's e-mail goes out first, then its push delivery fails before it sends anything, run after run.
        var stage = await Staged("nl");
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using (var damage = new Npgsql.NpgsqlCommand(
            "update safetyplan.mt_doc_pushsubscriptiondocument set data = jsonb_set(data, '{createdAt}', '\"not a moment\"') where data ->> 'owner' like @owner", connection))
        {
            damage.Parameters.AddWithValue("owner", $"member/{stage.PlanId:D}/%");
            (await damage.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        try
        {
            await server.Advance("PT5H30M");
            await server.Smtp.WaitFor(stage.Email, 1);
            await Task.Delay(2000); // the delivery queue's message and its retries
            await server.Advance("PT1M"); // the sweeps: the push delivery is still queued and due, and fails again
            await server.Advance("PT1M");
            await Task.Delay(2000);
            server.Smtp.MessagesTo(stage.Email).Count.ShouldBe(1);
            (await stage.Professional.Get<List<HistoryEntry>>($"/api/plans/{stage.PlanId}/history")).Count(e => e.Type == "notification-sent").ShouldBe(1);
        }
        finally
        {
            // Mended, the push delivery ends (skipped: no readable subscription left), so no later sweep keeps failing on it.
            await using var mend = new Npgsql.NpgsqlCommand("delete from safetyplan.mt_doc_pushsubscriptiondocument where data ->> 'owner' like @owner", connection);
            mend.Parameters.AddWithValue("owner", $"member/{stage.PlanId:D}/%");
            await mend.ExecuteNonQueryAsync();
            await server.Advance("PT0S");
            await server.DeliveriesSettled(stage.PlanId);
        }
    }

    /// <summary>
    /// Runs Hangfire's sweep (<c>DeadlineSweep.Run</c>) while <paramref name="busy"/> holds the plan, and fails when it
    /// waits for the plan's deliverer: the delivery queue's message waits for the lock, a sweep that delivered would be a
    /// second waiter. Returns the events it appended.
    /// </summary>
    private async Task<int> HangfiresSweepBeside(BusyDeliverer busy, string when)
    {
        var sweeping = server.Factory.Services.GetRequiredService<SafetyPlan.Scheduling.DeadlineSweep>().Run(CancellationToken.None);
        while (!sweeping.IsCompleted)
        {
            (await busy.Waiting()).ShouldBeLessThan(2, $"Hangfire's sweep {when} waits for the plan's deliverer");
            await Task.Delay(20);
        }
        return await sweeping;
    }

    /// <summary>A plan's deliverer at work: its advisory lock (NotificationDispatcher.DeliverDue) held on a connection of its own until released.</summary>
    private sealed class BusyDeliverer(Npgsql.NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public static async Task<BusyDeliverer> Of(string connectionString, Guid planId)
        {
            var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var key = BitConverter.ToInt64(planId.ToByteArray(), 0);
            await using (var take = new Npgsql.NpgsqlCommand($"select pg_advisory_lock({key})", connection)) await take.ExecuteNonQueryAsync();
            return new BusyDeliverer(connection, key);
        }

        /// <summary>How many sessions wait for the plan's lock (a bigint advisory key is classid:objid, objsubid 1).</summary>
        public async Task<long> Waiting()
        {
            await using var command = new Npgsql.NpgsqlCommand("select count(*) from pg_locks where locktype = 'advisory' and not granted " +
                "and classid::bigint = @high and objid::bigint = @low and objsubid = 1", connection);
            command.Parameters.AddWithValue("high", (long)(uint)(key >> 32));
            command.Parameters.AddWithValue("low", (long)(uint)key);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async Task Release()
        {
            await using var release = new Npgsql.NpgsqlCommand($"select pg_advisory_unlock({key})", connection);
            await release.ExecuteNonQueryAsync();
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    /// <summary>The outcome events of the plan's deliveries in order, each with the transaction that appended it (PostgreSQL's xmin).</summary>
    private async Task<List<(string Type, string Transaction)>> RecordedOutcomes(Guid planId)
    {
        await server.DeliveriesSettled(planId);
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select type, xmin::text from safetyplan.mt_events where stream_id = @id and type in " +
            "('notification_sent', 'notification_skipped', 'notification_failed', 'notification_abandoned') order by version", connection);
        command.Parameters.AddWithValue("id", planId);
        await using var reader = await command.ExecuteReaderAsync();
        var outcomes = new List<(string, string)>();
        while (await reader.ReadAsync()) outcomes.Add((reader.GetString(0), reader.GetString(1)));
        return outcomes;
    }

    [Fact]
    public async Task the_reminders_e_mail_and_its_skipped_push_are_recorded_in_one_append()
    {
        var stage = await Staged("nl", push: false);
        await server.Advance("PT5H30M");
        (await Settled(stage.Email, 1)).Count.ShouldBe(1);

        var outcomes = await RecordedOutcomes(stage.PlanId);
        outcomes.Select(o => o.Type).ShouldBe(["notification_sent", "notification_skipped"]);
        outcomes.Select(o => o.Transaction).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task two_messages_that_went_out_are_recorded_one_by_one_so_a_crash_can_repeat_at_most_one()
    {
        var stage = await Staged("nl");
        await server.Advance("PT5H30M");
        (await Settled(stage.Email, 1)).Count.ShouldBe(1);
        (await PushedReminders(stage, 1)).Count.ShouldBe(1);

        var outcomes = await RecordedOutcomes(stage.PlanId);
        outcomes.Select(o => o.Type).ShouldBe(["notification_sent", "notification_sent"]);
        outcomes.Select(o => o.Transaction).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task a_dutch_member_gets_it_in_dutch_and_can_read_it_when_signed_in_with_their_personal_link()
    {
        var stage = await Staged("nl");
        await server.Advance("PT5H30M");
        var message = (await Settled(stage.Email, 1)).Single();
        message.Subject.ShouldBe("Herinnering: straks een afspraak uit het veiligheidsplan");
        message.TextBody!.ShouldContain("Open uw pagina met uw persoonlijke link: http://localhost/member");

        var issued = await (await stage.Professional.Post($"/api/plans/{stage.PlanId}/members/{stage.MemberId}/links", new { })).Json();
        var phone = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await phone.GetAsync(new Uri(issued.GetProperty("url").GetString()!).PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var inbox = await phone.Get<List<InboxItem>>("/api/notifications");
        inbox.Select(i => (i.PlanId, i.Subject, i.Delivery)).ShouldBe([(stage.PlanId, "check-in-reminder", "sent")]);
        (await (await phone.GetAsync("/member")).Content.ReadAsStringAsync()).ShouldContain("Herinnering:");
    }

    [Fact]
    public async Task no_reminder_for_an_occurrence_someone_already_reported_on()
    {
        var stage = await Staged("en");
        await server.Advance("PT5H10M"); // 17:10: the window of 18:00 is open
        (await AsMember(stage).Post($"/api/plans/{stage.PlanId}/check-ins", new
        {
            clientId = Guid.NewGuid().ToString(), agreementId = stage.AgreementId, memberId = stage.MemberId, outcome = "kept",
        })).StatusCode.ShouldBe(HttpStatusCode.Created);

        await server.Advance("PT30M");   // 17:40
        (await ReminderKeys(stage)).ShouldBeEmpty();
        (await PushedReminders(stage, 0)).ShouldBeEmpty();
        await server.Advance("P1D");     // the next day's occurrence, not reported: reminded
        (await ReminderKeys(stage)).Count.ShouldBe(1);
        (await Settled(stage.Email, 1)).Count.ShouldBe(1);
        (await PushedReminders(stage, 1)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task no_reminder_while_reminders_are_off_and_the_member_turns_them_on_and_off_again_only_for_themselves()
    {
        var stage = await Staged("en", reminders: false);
        await server.Advance("PT5H40M"); // 17:40
        (await ReminderKeys(stage)).ShouldBeEmpty();

        var neighbour = await (await stage.Professional.Post($"/api/plans/{stage.PlanId}/members", new { name = "Buurman", role = "network" })).CreatedId();
        var asNeighbour = server.As("buurman", $"member:{neighbour}");
        (await asNeighbour.PutAsJsonAsync($"/api/plans/{stage.PlanId}/members/{stage.MemberId}/reminders", new { reminders = true }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.As("auditor-1", "auditor").PutAsJsonAsync($"/api/plans/{stage.PlanId}/members/{stage.MemberId}/reminders", new { reminders = true }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AsMember(stage).PutAsJsonAsync($"/api/plans/{stage.PlanId}/members/{stage.MemberId}/reminders", new { }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await server.Advance("PT0S");
        (await ReminderKeys(stage)).ShouldBeEmpty();
        (await PushedReminders(stage, 0)).ShouldBeEmpty();

        (await AsMember(stage).PutAsJsonAsync($"/api/plans/{stage.PlanId}/members/{stage.MemberId}/reminders", new { reminders = true }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // Today's occurrence can still be reported on (until 19:00): its reminder comes now.
        await server.Advance("PT0S");
        (await ReminderKeys(stage)).Count.ShouldBe(1);

        (await stage.Professional.PutAsJsonAsync($"/api/plans/{stage.PlanId}/members/{stage.MemberId}/reminders", new { reminders = false }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await server.Advance("P1D");
        (await ReminderKeys(stage)).Count.ShouldBe(1);
        (await Settled(stage.Email, 1)).Count.ShouldBe(1);
        (await PushedReminders(stage, 1)).Count.ShouldBe(1); // today's, from while they were on; none after they went off

        var set = (await stage.Professional.Get<List<HistoryEntry>>($"/api/plans/{stage.PlanId}/history"))
            .Where(e => e.Type == "member-reminders-set").Select(e => (e.Actor, e.DataAs<RemindersSet>().Reminders)).ToList();
        set.ShouldBe([("truus", true), (stage.Professional.DefaultRequestHeaders.GetValues("X-User").Single(), false)]);
    }

    private sealed record RemindersSet(bool Reminders);
}
