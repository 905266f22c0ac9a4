using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Plans;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// A replay of a long plan starts from a stored snapshot at a multiple of <see cref="PlanReplays.Interval"/> versions
/// and must answer exactly as a replay from event 1 does (auditors rely on it).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_long_plan_is_replayed(ServerFixture server)
{
    private static readonly DateTimeOffset Start = ServerFixture.Start;

    /// <summary>A plan with a daily agreement and its check-ins, a breach and escalation now and then (written through Marten, not HTTP, for speed).</summary>
    private async Task<Guid> LongPlan(int count)
    {
        var planId = Guid.NewGuid();
        var member = Guid.NewGuid();
        var agreement = Guid.NewGuid();
        var bottomLine = Guid.NewGuid();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var events = new List<object>
        {
            new PlanDrafted(planId, "Lang plan", "Familie", "monitor-long", null, "Europe/Amsterdam", Start),
            new MemberAdded(member, "Oma", MemberRole.Network, null, null, Start),
            new AgreementMade(agreement, "Ophalen", member, null, new Schedule(Daily: new TimeOnly(15, 0)), TimeSpan.FromHours(1), Start),
            new BottomLineSet(bottomLine, "Niet opgehaald", new BottomLineRule(RuleKind.AnyBreach, agreement), TimeSpan.FromHours(4), Start),
            new PlanAgreed(new DateOnly(2099, 1, 1), Start),
        };
        for (var day = 0; events.Count < count; day++)
        {
            var occurrence = Schedule.ToInstant(Start.Date.AddDays(day).AddHours(15), zone);
            var at = occurrence.AddMinutes(10);
            var checkIn = Guid.NewGuid();
            if (day % 9 == 8)
            {
                var breach = Guid.NewGuid();
                var escalation = Guid.NewGuid();
                events.Add(new CheckInLogged(checkIn, $"c{day}", agreement, member, CheckInOutcome.NotKept, $"ziek {day}", occurrence, at));
                events.Add(new BreachRecorded(breach, BreachKind.NotKept, agreement, checkIn, null, at));
                events.Add(new BottomLineCrossed(bottomLine, breach, "any breach", at));
                events.Add(new EscalationRaised(escalation, bottomLine, "Lang plan", "Niet opgehaald", "any breach", "monitor-long", null, at.AddHours(4), at));
                events.Add(new EscalationAcknowledged(escalation, "monitor-long", null, at.AddHours(1)));
                if (day % 18 == 17) events.Add(new EscalationResolved(escalation, "monitor-long", "opgelost", at.AddHours(2)));
            }
            else events.Add(new CheckInLogged(checkIn, $"c{day}", agreement, member, CheckInOutcome.Kept, null, occurrence, at));
            if (day % 7 == 6) events.Add(new SafetyRated(Guid.NewGuid(), $"r{day}", member, day % 10, null, at));
        }
        await using var session = server.Store.LightweightSession();
        session.Events.StartStream<Plan>(planId, events.Take(count).ToArray());
        await session.SaveChangesAsync();
        return planId;
    }

    private static async Task<string> Replayed(IQuerySession session, Guid planId, int version, bool fromEventOne)
    {
        DateTimeOffset moment;
        Plan plan;
        if (fromEventOne)
        {
            plan = (await session.Events.AggregateStreamAsync<Plan>(planId, version: version))!;
            var last = (await session.Events.FetchStreamAsync(planId, version: version, fromVersion: version)).Single();
            moment = ((IPlanEvent)last.Data).At;
        }
        else
            (plan, moment) = (await PlanQueries.Load(session, planId, null, version, Start, CancellationToken.None))!.Value;
        plan.Version.ShouldBe(version);
        // The status an auditor is shown, to the last character, and the plan itself to the last field. The plan's
        // dictionaries (deliveries by key) come back from PostgreSQL's jsonb in its key order, as the stored plan
        // document always has: their order carries nothing (the status orders deliveries itself), so keys are compared sorted.
        return JsonSerializer.Serialize(PlanStatusView.Status(plan, moment), ServerFixture.Json) + "\n"
            + Sorted(JsonSerializer.SerializeToNode(plan, ServerFixture.Json))?.ToJsonString();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    private async Task<long> Snapshots(Guid planId)
    {
        await using var session = server.Store.QuerySession();
        return await session.Query<PlanReplaySnapshot>().Where(s => s.PlanId == planId).CountAsync();
    }

    [Fact]
    public async Task a_replay_from_a_snapshot_equals_the_replay_from_the_first_event_on_both_sides_of_a_boundary()
    {
        var planId = await LongPlan(2 * PlanReplays.Interval + 150);
        int[] versions = [1, 999, 1000, 1001, 1377, 1999, 2000, 2001, 2 * PlanReplays.Interval + 150];

        // The first round writes the snapshots at 1,000 and 2,000; the second reads them.
        for (var round = 0; round < 2; round++)
        {
            await using var session = server.Store.QuerySession();
            foreach (var version in versions)
            {
                var (fromSnapshot, fromEventOne) = (await Replayed(session, planId, version, fromEventOne: false), await Replayed(session, planId, version, fromEventOne: true));
                var first = Enumerable.Range(0, Math.Min(fromSnapshot.Length, fromEventOne.Length)).FirstOrDefault(i => fromSnapshot[i] != fromEventOne[i], -1);
                fromSnapshot.ShouldBe(fromEventOne, $"version {version}, round {round}, first difference: "
                    + (first < 0 ? "length" : $"{fromSnapshot.Substring(Math.Max(0, first - 300), 500)} instead of {fromEventOne.Substring(Math.Max(0, first - 300), 500)}"));
            }
            (await Snapshots(planId)).ShouldBe(2);
        }

        // The endpoint answers from them too.
        var auditor = server.As("auditor-1", "auditor");
        var status = await (await auditor.GetAsync($"/api/plans/{planId}?version=1500")).Json();
        status.GetProperty("title").GetString().ShouldBe("Lang plan");
    }

    [Fact]
    public async Task a_stored_snapshot_is_what_a_later_replay_starts_from()
    {
        // Proves the snapshot is read, not silently bypassed: a changed snapshot shows in the replay above it.
        var planId = await LongPlan(PlanReplays.Interval + 10);
        await using (var session = server.Store.QuerySession())
            await PlanQueries.Load(session, planId, null, PlanReplays.Interval + 5, Start, CancellationToken.None);
        await using (var session = server.Store.LightweightSession())
        {
            var snapshot = (await session.LoadAsync<PlanReplaySnapshot>(PlanReplays.SnapshotId(planId, PlanReplays.Interval)))!;
            snapshot.Plan.Title = "Uit de snapshot";
            session.Store(snapshot);
            await session.SaveChangesAsync();
        }
        await using (var session = server.Store.QuerySession())
        {
            (await PlanQueries.Load(session, planId, null, PlanReplays.Interval + 5, Start, CancellationToken.None))!.Value.Plan.Title.ShouldBe("Uit de snapshot");
            (await PlanQueries.Load(session, planId, null, PlanReplays.Interval - 1, Start, CancellationToken.None))!.Value.Plan.Title.ShouldBe("Lang plan");
        }
    }
}
