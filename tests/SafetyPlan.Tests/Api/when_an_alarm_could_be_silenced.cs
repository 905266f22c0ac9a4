using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The examples of issue 12 ("Alarms that nothing can silence"), each over the HTTP contract with the value a correct
/// system answers. The setting: Europe/Amsterdam, member A (oma) with a daily agreement at 18:00 with grace PT2H and the
/// default report window (from an hour before), member B (a parent) who is not a reporter of it, plan agreed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_alarm_could_be_silenced(ServerFixture server)
{
    private sealed class Setting
    {
        public required HttpClient Monitor { get; init; }
        public required Guid PlanId { get; init; }
        public required Guid A { get; init; }
        public required Guid B { get; init; }
        public required Guid Agreement { get; init; }
        public required HttpClient AsA { get; init; }
        public required HttpClient AsB { get; init; }
        public string MonitorId { get; init; } = "";
    }

    private async Task<Setting> Agreed(string daily = "18:00", string grace = "PT2H", object? rule = null)
    {
        var monitorId = $"monitor-{Guid.NewGuid():N}";
        var monitor = server.As(monitorId, "professional");
        var plan = await (await monitor.Post("/api/plans", new { title = "Veiligheidsplan", family = "De Vries", monitorId, backupId = "teamleider" })).CreatedId();
        var a = await (await monitor.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var b = await (await monitor.Post($"/api/plans/{plan}/members", new { name = "Vader", role = "parent" })).CreatedId();
        var agreement = await (await monitor.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma haalt de kinderen op.", responsibleMemberId = a, schedule = new { daily }, grace,
        })).CreatedId();
        if (rule is not null)
            await (await monitor.Post($"/api/plans/{plan}/bottom-lines", new { text = "Ingrijpen", rule = rule is Func<Guid, object> make ? make(agreement) : rule, acknowledgeWithin = "PT4H" })).CreatedId();
        (await monitor.Post($"/api/plans/{plan}/agree", new { evaluationDue = (await server.Now()).AddDays(60).ToString("yyyy-MM-dd") })).EnsureSuccessStatusCode();
        return new Setting
        {
            Monitor = monitor, PlanId = plan, A = a, B = b, Agreement = agreement, MonitorId = monitorId,
            AsA = server.As("oma", $"member:{a}"), AsB = server.As("vader", $"member:{b}"),
        };
    }

    private static Task<HttpResponseMessage> CheckIn(Setting s, HttpClient as_, Guid member, string outcome, string? clientId = null, DateTimeOffset? occurrence = null) =>
        as_.Post($"/api/plans/{s.PlanId}/check-ins", new
        {
            clientId = clientId ?? Guid.NewGuid().ToString("N"), agreementId = s.Agreement, memberId = member, outcome, occurrence,
        });

    private static async Task<AgreementStatus> Agreement(Setting s) => (await Status(s)).Agreements[0];

    private static Task<PlanStatus> Status(Setting s) => s.Monitor.Get<PlanStatus>($"/api/plans/{s.PlanId}");

    private static Task<List<HistoryEntry>> History(Setting s) => s.Monitor.Get<List<HistoryEntry>>($"/api/plans/{s.PlanId}/history?take=1000");

    private static async Task<int> Escalations(Setting s) => (await History(s)).Count(e => e.Type == "escalation-raised");

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>Moves the clock to the next moment it is this local time in Amsterdam (the plan's zone).</summary>
    private Task<DateTimeOffset> To(int hour, int minute = 0) => server.AdvanceToNext(new TimeOnly(hour, minute));

    [Fact]
    public async Task a_report_after_midnight_is_late_on_the_evening_just_past_and_tomorrows_miss_is_still_recorded()
    {
        await To(12);
        var s = await Agreed(daily: "22:00", grace: "PT3H");
        var evening = await To(22);
        // The evening's window closed at 01:00 there. Read in the plan's zone: the shared clock may be in summer or winter time.
        TimeZoneInfo.ConvertTime(await To(1, 30), Amsterdam).TimeOfDay.ShouldBe(new TimeSpan(1, 30, 0));

        var response = await CheckIn(s, s.AsA, s.A, "kept");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var receipt = await response.Read<CheckInReceipt>();
        receipt.ShouldBe(new CheckInReceipt("check-in", receipt.Id, s.Agreement, evening, Late: true));
        var agreement = await Agreement(s);
        (agreement.Missed, agreement.Kept).ShouldBe((1, 0));
        agreement.LateReports.ShouldHaveSingleItem().Occurrence.ShouldBe(evening);

        await server.Advance("P1D"); // the next evening nobody reports: it is missed too
        (await Agreement(s)).Missed.ShouldBe(2);
    }

    [Fact]
    public async Task a_report_on_a_future_occurrence_is_refused_and_one_in_its_window_is_on_time()
    {
        await To(12);
        var s = await Agreed();
        var today = TimeZoneInfo.ConvertTime(await server.Now(), Amsterdam).Date;
        var sixToday = new DateTimeOffset(today.AddHours(18), Amsterdam.GetUtcOffset(today.AddHours(18))); // summer or winter time

        (await CheckIn(s, s.AsA, s.A, "kept", occurrence: sixToday.AddDays(1))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await CheckIn(s, s.AsA, s.A, "kept")).StatusCode.ShouldBe(HttpStatusCode.Conflict); // 12:00: no window open, nothing past
        await To(17, 15);
        var onTime = await CheckIn(s, s.AsA, s.A, "kept");
        onTime.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await onTime.Read<CheckInReceipt>()).Late.ShouldBe(false);
        (await Agreement(s)).Kept.ShouldBe(1);
    }

    [Fact]
    public async Task a_parent_cannot_mark_grandmothers_missed_pick_up_as_kept_but_a_named_reporter_can_report()
    {
        await To(12);
        var s = await Agreed();
        var missedAt = await To(18);
        await server.Advance("PT2H"); // grace passed: missed
        (await Agreement(s)).Missed.ShouldBe(1);

        (await CheckIn(s, s.AsB, s.B, "kept")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CheckIn(s, s.AsB, s.B, "kept", occurrence: missedAt)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CheckIn(s, s.Monitor, s.B, "kept")).StatusCode.ShouldBe(HttpStatusCode.Forbidden); // a professional only for A or a reporter
        var agreement = await Agreement(s);
        (agreement.Missed, agreement.Kept).ShouldBe((1, 0));

        var refused = await s.Monitor.Post($"/api/plans/{s.PlanId}/agreements", new
        {
            text = "School meldt", responsibleMemberId = s.A, schedule = new { daily = "18:00" }, reporters = new[] { Guid.NewGuid() },
        });
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var school = await (await s.Monitor.Post($"/api/plans/{s.PlanId}/agreements", new
        {
            text = "De kinderen zijn op school", responsibleMemberId = s.A, schedule = new { daily = "18:00" }, grace = "PT2H", reporters = new[] { s.B },
        })).CreatedId();
        await To(18);
        (await s.AsB.Post($"/api/plans/{s.PlanId}/check-ins", new { clientId = "b-1", agreementId = school, memberId = s.B, outcome = "kept" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task another_members_report_with_the_same_client_id_is_a_report_of_its_own()
    {
        await To(12);
        var s = await Agreed(rule: new { kind = "concern", minSeverity = "high" });
        await To(17, 30);
        (await CheckIn(s, s.AsA, s.A, "kept", clientId: "phone-1")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var concern = await s.AsB.Post($"/api/plans/{s.PlanId}/concerns", new { clientId = "phone-1", memberId = s.B, text = "Moeder was dronken.", severity = "high" });

        concern.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Escalations(s)).ShouldBe(1);
        (await s.AsA.Post($"/api/plans/{s.PlanId}/ratings", new { clientId = "phone-2", memberId = s.A, score = 6 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await s.AsB.Post($"/api/plans/{s.PlanId}/ratings", new { clientId = "phone-2", memberId = s.B, score = 3 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await s.AsB.Post($"/api/plans/{s.PlanId}/ratings", new { clientId = "phone-2", memberId = s.B, score = 3 })).StatusCode.ShouldBe(HttpStatusCode.OK); // B's own repeat
    }

    [Fact]
    public async Task misses_a_day_apart_do_not_cross_a_twelve_hour_window_when_the_clock_jumps_three_days()
    {
        await To(12);
        var s = await Agreed(rule: (Func<Guid, object>)(agreement => new { kind = "breaches", agreementId = agreement, count = 2, within = "PT12H" }));

        await server.Advance("P3D");

        (await Agreement(s)).Missed.ShouldBe(3);
        (await Escalations(s)).ShouldBe(0);
        var breaches = (await History(s)).Where(e => e.Type == "breach-recorded").Select(e => e.DataAs<BreachData>().OccurredAt!.Value).ToList();
        breaches.Count.ShouldBe(3);
        (breaches[1] - breaches[0]).ShouldBe(TimeSpan.FromDays(1)); // dated at each evening's 20:00, not at the jump
    }

    [Fact]
    public async Task after_a_resolution_missed_in_a_row_counts_afresh()
    {
        await To(12);
        var s = await Agreed(rule: new { kind = "missed-in-a-row", count = 2 });
        var counts = new List<int>();
        async Task MissOneMore()
        {
            await To(21); // that evening's 18:00 + PT2H has passed
            counts.Add(await Escalations(s));
        }

        await MissOneMore();
        await MissOneMore();
        var open = (await s.Monitor.Get<List<Escalation>>("/api/escalations?state=open")).Single(e => e.PlanId == s.PlanId).Id;
        (await s.Monitor.Post($"/api/escalations/{open}/acknowledge", new { note = "Gebeld" })).EnsureSuccessStatusCode();
        (await s.Monitor.Post($"/api/escalations/{open}/resolve", new { note = "Oma was ziek; vader haalt op." })).EnsureSuccessStatusCode();
        await MissOneMore();
        await MissOneMore();

        counts.ShouldBe([0, 1, 1, 2]);
    }

    [Fact]
    public async Task a_plan_with_an_unacknowledged_escalation_cannot_be_closed()
    {
        await To(12);
        var s = await Agreed(rule: (Func<Guid, object>)(agreement => new { kind = "any-breach", agreementId = agreement }));
        await To(21);
        (await Escalations(s)).ShouldBe(1);
        var close = await s.Monitor.Post($"/api/plans/{s.PlanId}/evaluations", new { outcome = "close", notes = "Klaar" });

        close.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var status = await Status(s);
        (status.State, status.Status).ShouldBe((State.Active, Colour.Red));
    }
}
