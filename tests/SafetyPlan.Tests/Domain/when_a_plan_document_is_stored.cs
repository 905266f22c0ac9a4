using Marten.Services;
using SafetyPlan.Agreements;
using SafetyPlan.Plans;
using Weasel.Core;

namespace SafetyPlan.Tests.Domain;

/// <summary>The plan document as Marten stores it: occurrences and breaches as logs that read back exactly, and the earlier forms still read.</summary>
public sealed class when_a_plan_document_is_stored
{
    // The serializer exactly as the event store configures it (Hosting/ConfigureEventStore.cs).
    private static readonly Marten.Services.SystemTextJsonSerializer Serializer = new() { EnumStorage = EnumStorage.AsString, Casing = Casing.CamelCase };

    private static readonly DateTimeOffset Monday = new(2027, 1, 4, 15, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void every_state_of_an_occurrence_reads_back_as_it_was_written()
    {
        var records = new List<OccurrenceRecord>
        {
            new() { Occurrence = Monday, Outcome = CheckInOutcome.Kept },
            new() { Occurrence = Monday.AddDays(1), Outcome = CheckInOutcome.Partly },
            new() { Occurrence = Monday.AddDays(2), Outcome = CheckInOutcome.NotKept },
            new() { Occurrence = Monday.AddDays(3), Missed = true },
            new() { Occurrence = Monday.AddDays(4) },
            new() { Occurrence = Monday.AddDays(5).AddTicks(1234567), Outcome = CheckInOutcome.Kept },
            new() { Occurrence = new DateTimeOffset(2027, 7, 5, 18, 0, 0, TimeSpan.FromHours(2)), Missed = true },
        };
        var plan = new Plan { Agreements = [new Agreement { Id = Guid.NewGuid(), Occurrences = records }] };

        var read = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(plan))));

        var back = read.Agreements.Single().Occurrences;
        back.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed))
            .ShouldBe(records.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed)));
    }

    [Fact]
    public void occurrences_spaced_alike_are_one_step_repeated_and_a_letter_each()
    {
        var plan = new Plan { Agreements = [new Agreement { Occurrences =
        [
            new() { Occurrence = Monday, Outcome = CheckInOutcome.NotKept },
            new() { Occurrence = Monday.AddDays(1), Outcome = CheckInOutcome.Kept },
            new() { Occurrence = Monday.AddDays(2), Missed = true },
            new() { Occurrence = Monday.AddDays(4), Outcome = CheckInOutcome.Partly },
        ] }] };

        Serializer.ToJson(plan).ShouldContain("\"occurrences\":\"2027-01-04T15:00:00+01:00 1440*2 2880;nkmp\"");
    }

    [Fact]
    public void a_daily_agreement_across_summer_time_and_any_irregular_step_reads_back_moment_by_moment()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var records = Enumerable.Range(0, 400)
            .Select(d => new DateTime(2027, 1, 4, 17, 30, 0).AddDays(d))
            .Select(local => new DateTimeOffset(local, zone.GetUtcOffset(local)))
            .Select((at, i) => new OccurrenceRecord { Occurrence = at, Outcome = i % 7 == 3 ? null : CheckInOutcome.Kept, Missed = i % 7 == 3 })
            .ToList();
        records.Insert(100, new OccurrenceRecord { Occurrence = records[99].Occurrence.AddTicks(12_345), Outcome = CheckInOutcome.NotKept });
        records.Add(new OccurrenceRecord { Occurrence = records[^1].Occurrence.AddDays(-3).ToOffset(TimeSpan.FromMinutes(-210)) });
        var plan = new Plan { Agreements = [new Agreement { Occurrences = records }] };

        var json = Serializer.ToJson(plan);
        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Agreements.Single().Occurrences;

        back.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed))
            .ShouldBe(records.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed)));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var log = document.RootElement.GetProperty("agreements")[0].GetProperty("occurrences").GetString()!;
        log.Length.ShouldBeLessThan(402 + 150); // a letter an occurrence, and a few steps: the first, summer time, the odd ones (13 KB as a string each)
    }

    public static TheoryData<string> Few => ["none", "one", "one step back, less than a minute"];

    [Theory]
    [MemberData(nameof(Few))]
    public void no_occurrence_one_or_a_step_back_reads_back_as_it_was_written(string which)
    {
        List<OccurrenceRecord> records = which switch
        {
            "none" => [],
            "one" => [new() { Occurrence = Monday, Outcome = CheckInOutcome.Partly }],
            _ => [new() { Occurrence = Monday, Missed = true }, new() { Occurrence = Monday.AddTicks(-59 * TimeSpan.TicksPerSecond) }],
        };
        var plan = new Plan { Agreements = [new Agreement { Occurrences = records }] };

        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(plan)))).Agreements.Single().Occurrences;

        back.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed))
            .ShouldBe(records.Select(o => (o.Occurrence, o.Occurrence.Offset, o.Outcome, o.Missed)));
    }

    [Theory]
    [InlineData("""{"agreements":[{"occurrences":";k"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00 1440;k"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00 1x40;kk"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00 @+1:00 1440;kk"}]}""")]
    [InlineData("""{"agreements":[{"occurrences":"2027-01-04T15:00:00+01:00;z"}]}""")]
    [InlineData("""{"breaches":"|m3.1.0._"}""")]
    [InlineData("""{"breaches":"|x.1.0._"}""")]
    [InlineData("""{"breaches":"|m..0._"}""")]
    [InlineData("""{"breaches":"|m.1.0"}""")]
    [InlineData("""{"breaches":"m.1.0._"}""")]
    [InlineData("""{"deliveries":[]}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0._._._._._","CheckInReminder","r","Email"]}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0._._._._","CheckInReminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0._._._._._","Reminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1.x.2.3.0.0.0._._._._._","CheckInReminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1.m1.2.3.0.0.0._._._._._","CheckInReminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1@5.u1.2.3.0.0.0._._._._._","CheckInReminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0~zzzz._._._._._","CheckInReminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.9._.2.3.0.0.0._._._._._","CheckInReminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0._._._._._ 0.1._.2.3.0.0.0._._._._._","CheckInReminder","r","Email","Queued"]}""")]
    [InlineData("""{"deliveries":"0.1._.2.3.0.0.0._._._._._"}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0._._._._._","CheckInReminder","r"," Email","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0._._._._._","CheckInReminder","r","Email, Push","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1._.2.3.0.0.0._._._._._","CheckInReminder","r","1","Queued"]}""")]
    [InlineData("""{"deliveries":["0.1.m5+u5.2.3.0.0.0._._._._._","CheckInReminder","r","Email","Queued","6f1c1e5e-0000-4000-8000-00000000000a"]}""")]
    [InlineData("""{"deliveries":{"k":null}}""")]
    [InlineData("""{"deliveries":{"k":{"key":"other","subject":"EscalationRaised"}}}""")]
    public void a_damaged_log_fails_to_read_as_json_rather_than_as_something_else(string stored)
    {
        Should.Throw<System.Text.Json.JsonException>(() => Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored))));
    }

    [Fact]
    public void a_document_stored_with_one_string_per_occurrence_is_still_read()
    {
        const string stored = """{"agreements":[{"occurrences":["2027-01-04T15:00:00+01:00 not-kept","2027-01-05T15:00:00+01:00 missed"]}]}""";

        var occurrences = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored))).Agreements.Single().Occurrences;

        occurrences.Select(o => (o.Occurrence, o.Outcome, o.Missed))
            .ShouldBe([(Monday, CheckInOutcome.NotKept, false), (Monday.AddDays(1), (CheckInOutcome?)null, true)]);
    }

    [Fact]
    public void every_kind_of_breach_reads_back_as_the_rules_judge_it()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var events = new[]
        {
            new BreachRecorded(Guid.NewGuid(), BreachKind.NotKept, first, Guid.NewGuid(), null, Monday.AddMinutes(7).AddTicks(31), OccurredAt: Monday, Occurrence: Monday),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Missed, second, Guid.NewGuid(), null, Monday.AddHours(1).AddSeconds(4), OccurredAt: Monday.AddHours(1), Occurrence: Monday),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Concern, null, Guid.NewGuid(), Severity.High, Monday.AddMinutes(30).ToUniversalTime(), OccurredAt: Monday.AddMinutes(30)),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Concern, first, Guid.NewGuid(), Severity.Low, Monday.AddDays(2)),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Missed, first, Guid.NewGuid(), null, Monday.AddDays(9), OccurredAt: Monday.AddDays(-30), Occurrence: Monday.AddDays(-31)),
            new BreachRecorded(Guid.NewGuid(), BreachKind.Concern, null, Guid.NewGuid(), Severity.Medium, Monday.AddDays(9)),
        };
        var plan = new Plan();
        foreach (var e in events) Plan.Evolve(plan, e);

        var json = Serializer.ToJson(plan);
        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Breaches;

        back.ShouldBe(plan.Breaches);
        back.Select(b => (b.Kind, b.AgreementId, b.Severity, b.At, b.Date, b.Occurrence))
            .ShouldBe(events.Select(e => (e.Kind, e.AgreementId, e.Severity, e.At, e.Date, e.Occurrence)));
        back.ShouldAllBe(b => b.At.Offset == TimeSpan.Zero && b.Date.Offset == TimeSpan.Zero && (b.Occurrence == null || b.Occurrence.Value.Offset == TimeSpan.Zero));
        Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(new Plan())))).Breaches.ShouldBeEmpty();
    }

    [Fact]
    public void a_document_stored_with_the_breach_events_is_still_read()
    {
        var agreement = Guid.NewGuid();
        var stored = $$"""
            {"breaches":[{"breachId":"{{Guid.NewGuid()}}","kind":"Missed","agreementId":"{{agreement}}","sourceId":"{{Guid.NewGuid()}}","severity":null,
              "at":"2027-01-04T16:00:05+01:00","occurredAt":"2027-01-04T16:00:00+01:00","occurrence":"2027-01-04T15:00:00+01:00"}]}
            """;

        var breach = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored))).Breaches.Single();

        breach.ShouldBe(new Breach(BreachKind.Missed, agreement, null, Monday.AddHours(1).AddSeconds(5).ToUniversalTime(),
            Monday.AddHours(1).ToUniversalTime(), Monday.ToUniversalTime()));
    }

    [Fact]
    public void a_document_stored_with_occurrences_as_objects_is_still_read()
    {
        const string stored = """
            {"agreements":[{"id":"6f1c1e5e-0000-4000-8000-000000000001","occurrences":[
              {"occurrence":"2027-01-04T15:00:00+01:00","outcome":"NotKept","checkInId":"6f1c1e5e-0000-4000-8000-000000000002","missed":false},
              {"occurrence":"2027-01-05T15:00:00+01:00","outcome":null,"checkInId":null,"missed":true}]}]}
            """;

        var plan = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored)));

        var occurrences = plan.Agreements.Single().Occurrences;
        occurrences[0].ShouldSatisfyAllConditions(o => o.Occurrence.ShouldBe(Monday), o => o.Outcome.ShouldBe(CheckInOutcome.NotKept), o => o.Missed.ShouldBeFalse());
        occurrences[1].ShouldSatisfyAllConditions(o => o.Occurrence.ShouldBe(Monday.AddDays(1)), o => o.Outcome.ShouldBeNull(), o => o.Missed.ShouldBeTrue());
    }

    [Fact]
    public void every_kind_of_delivery_reads_back_as_it_was_written_in_the_same_order()
    {
        var (agreement, member, escalation) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var occurrence = Monday.AddHours(2);
        var deliveries = new List<Delivery>();
        void Add(NotificationSubject subject, string reference, string? user, Guid? member_, NotificationChannel channel, DateTimeOffset queued, string? key = null, Action<Delivery>? then = null)
        {
            var recipient = user is not null ? $"user/{user}" : member_ is not null ? $"member/{member_}" : "organisation";
            var d = new Delivery
            {
                Key = key ?? Notifications.Notify.Key(subject, reference, recipient, channel), Subject = subject, Reference = reference,
                RecipientUserId = user, RecipientMemberId = member_, Channel = channel, QueuedAt = queued, NextAttemptAt = queued,
            };
            then?.Invoke(d);
            deliveries.Add(d);
        }
        var reference = Notifications.Notify.OccurrenceReference(agreement, occurrence);
        Add(NotificationSubject.CheckInReminder, reference, null, member, NotificationChannel.Email, occurrence.AddHours(-1).ToUniversalTime(),
            then: d => (d.Status, d.SentAt, d.Address) = (DeliveryStatus.Sent, d.QueuedAt.AddSeconds(2), "oma@example.test"));
        Add(NotificationSubject.CheckInReminder, reference, null, member, NotificationChannel.Push, occurrence.AddHours(-1),
            then: d => (d.Status, d.LastError) = (DeliveryStatus.Skipped, Notifications.Notify.NoLongerNeeded));
        Add(NotificationSubject.AgreementSlipped, Notifications.Notify.OccurrenceReference(agreement, occurrence.AddDays(-3)), null, Guid.NewGuid(),
            NotificationChannel.Email, occurrence.AddDays(-2).ToOffset(TimeSpan.FromHours(5.75)).AddTicks(17),
            then: d => (d.Status, d.Attempts, d.NextAttemptAt, d.LastError) = (DeliveryStatus.Queued, 3, d.QueuedAt.AddMinutes(4).ToOffset(TimeSpan.FromHours(-3.5)), "421 try later"));
        Add(NotificationSubject.EscalationRaised, escalation.ToString(), "anna", null, NotificationChannel.Email, Monday.AddDays(1),
            then: d => (d.Status, d.Attempts, d.Failure, d.LastError) = (DeliveryStatus.Failed, 12, "smtp-refused", "550 no such user"));
        Add(NotificationSubject.EscalationRaised, escalation.ToString(), null, null, NotificationChannel.Webhook, Monday.AddDays(1),
            then: d => (d.Status, d.SentAt) = (DeliveryStatus.Sent, d.QueuedAt.AddMilliseconds(1)));
        Add(NotificationSubject.EscalationRaised, escalation.ToString(), "bench", null, NotificationChannel.Email, Monday.AddDays(1),
            key: $"escalationraised:{escalation}:bench:email");
        Add(NotificationSubject.EvaluationReminder, "2027-03-01/7", "anna", null, NotificationChannel.Push, Monday.AddDays(-40));
        Add(NotificationSubject.CheckInReminder, "not an occurrence/2027-01-04", null, member, NotificationChannel.Email, Monday.AddDays(2));
        foreach (var subject in Enum.GetValues<NotificationSubject>())
            Add(subject, "2027-03-01", "anna", null, NotificationChannel.Email, Monday.AddDays(3));
        var plan = new Plan { Deliveries = new(deliveries.Select(d => KeyValuePair.Create(d.Key, d))) };

        var json = Serializer.ToJson(plan);
        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Deliveries;

        back.Keys.ShouldBe(plan.Deliveries.Keys);
        back.Values.Select(Fields).ShouldBe(deliveries.Select(Fields));
        json.ShouldNotContain(reference);
        json.ShouldContain($"escalationraised:{escalation}:bench:email");
        Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(new Plan())))).Deliveries.ShouldBeEmpty();
    }

    [Fact]
    public void a_delivery_without_a_reference_to_a_user_and_a_member_of_an_undefined_kind_reads_back_as_written_and_null_deliveries_read_as_none()
    {
        var odd = new Delivery
        {
            Key = "odd", Subject = (NotificationSubject)99, Reference = null!, RecipientUserId = "anna", RecipientMemberId = Guid.NewGuid(),
            Channel = (NotificationChannel)7, Status = DeliveryStatus.Failed, Attempts = int.MaxValue,
            QueuedAt = DateTimeOffset.MinValue, NextAttemptAt = DateTimeOffset.MaxValue.ToOffset(TimeSpan.FromHours(-14)),
        };
        var plan = new Plan { Deliveries = new() { [odd.Key] = odd } };

        var back = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Serializer.ToJson(plan)))).Deliveries;

        back.Values.Select(Fields).ShouldBe([Fields(odd)]);
        Serializer.FromJson<Plan>(new MemoryStream("""{"deliveries":null}"""u8.ToArray())).Deliveries.ShouldBeEmpty();
    }

    private static object Fields(Delivery d) => (d.Key, d.Subject, d.Reference, d.RecipientUserId, d.RecipientMemberId, d.Channel, d.Status, d.Attempts,
        (d.QueuedAt, d.QueuedAt.Offset), (d.NextAttemptAt, d.NextAttemptAt.Offset), (d.SentAt, d.SentAt?.Offset), d.Address, d.LastError, d.Failure);

    [Fact]
    public void a_year_of_reminders_by_e_mail_and_push_takes_well_under_fifty_bytes_a_delivery()
    {
        var (agreement, member) = (Guid.NewGuid(), Guid.NewGuid());
        var plan = new Plan();
        foreach (var day in Enumerable.Range(0, 365))
        {
            var occurrence = Monday.AddDays(day);
            var reference = Notifications.Notify.OccurrenceReference(agreement, occurrence);
            var at = occurrence.AddHours(-2).ToUniversalTime();
            foreach (var channel in Notifications.Notify.PersonChannels)
            {
                var key = Notifications.Notify.Key(NotificationSubject.CheckInReminder, reference, $"member/{member}", channel);
                plan.Deliveries[key] = new Delivery
                {
                    Key = key, Subject = NotificationSubject.CheckInReminder, Reference = reference, RecipientMemberId = member, Channel = channel,
                    QueuedAt = at, NextAttemptAt = at, Status = channel == NotificationChannel.Email ? DeliveryStatus.Sent : DeliveryStatus.Skipped,
                    SentAt = channel == NotificationChannel.Email ? at.AddSeconds(1) : null,
                    Address = channel == NotificationChannel.Email ? "oma@example.test" : null,
                    LastError = channel == NotificationChannel.Push ? "No push subscription." : null,
                };
            }
        }

        var json = Serializer.ToJson(plan);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(json) - System.Text.Encoding.UTF8.GetByteCount(Serializer.ToJson(new Plan()));

        (bytes / (double)plan.Deliveries.Count).ShouldBeLessThan(50);
        Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Deliveries.Values.Select(Fields)
            .ShouldBe(plan.Deliveries.Values.Select(Fields));
    }

    [Fact]
    public void a_document_stored_with_deliveries_as_objects_is_still_read()
    {
        var escalation = Guid.NewGuid();
        var key = $"escalationraised:{escalation}:user/anna:email";
        var stored = $$"""
            {"deliveries":{"{{key}}":{"key":"{{key}}","subject":"EscalationRaised","reference":"{{escalation}}","recipientUserId":"anna",
              "recipientMemberId":null,"channel":"Email","status":"Sent","attempts":0,"queuedAt":"2027-01-04T15:00:00+01:00",
              "nextAttemptAt":"2027-01-04T15:00:00+01:00","sentAt":"2027-01-04T15:00:02+01:00","address":"anna@example.test","lastError":null,"failure":null} } }
            """;

        var delivery = Serializer.FromJson<Plan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored))).Deliveries[key];

        Fields(delivery).ShouldBe(Fields(new Delivery
        {
            Key = key, Subject = NotificationSubject.EscalationRaised, Reference = escalation.ToString(), RecipientUserId = "anna",
            Channel = NotificationChannel.Email, Status = DeliveryStatus.Sent, QueuedAt = Monday, NextAttemptAt = Monday, SentAt = Monday.AddSeconds(2),
            Address = "anna@example.test",
        }));
    }
}
