using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using SafetyPlan.Clock;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Scheduling;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// A projected document is a function of the events alone, whichever path wrote it last: starting the stream, a command
/// or report (one decision), the sweep's batch of plans, the sweep's fallback to one plan at a time, the retention
/// pass, or a rebuild that continues a long stream from the document it stored for the previous page of events.
/// After each, the plan's documents equal a replay from its first event and Marten's rebuild of every projection.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_plan_is_written_by_any_path(ServerFixture server)
{
    // An organisation of its own, so that the sweep's batches of this test hold this plan alone. Not the default one:
    // the organisation is the document's tenant, which the document must not depend on how it was written.
    private readonly string _organisation = $"paths-{Guid.NewGuid():N}";

    private HttpClient In(string user, string roles)
    {
        var client = server.As(user, roles);
        client.DefaultRequestHeaders.Add("X-Organisation", _organisation);
        return client;
    }

    [Fact]
    public async Task its_documents_equal_a_replay_of_its_events_after_every_path()
    {
        await server.AdvanceToNext(new TimeOnly(9, 30)); // inside the first 10:00 occurrence's report window (reportFrom PT1H)
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var professional = In(monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Elk pad", family = "F", monitorId = monitor, backupId = "backup-paths" })).CreatedId();
        await ShouldEqualAReplay(plan, "its stream was started");

        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await professional.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma belt om tien uur.", responsibleMemberId = member, schedule = new { daily = "10:00" }, grace = "PT1H",
        })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/bottom-lines", new { text = "Niet gebeld: ingrijpen.", rule = new { kind = "any-breach", agreementId = agreement }, acknowledgeWithin = "PT4H" })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = server.EvaluationDue() })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var oma = In("oma", $"member:{member}");
        (await oma.Post($"/api/plans/{plan}/check-ins", new { clientId = "c1", agreementId = agreement, memberId = member, outcome = "not-kept" })).EnsureSuccessStatusCode();
        await ShouldEqualAReplay(plan, "commands and a report (one decision each)");

        var version = await Version(plan);
        await server.Advance("P1D"); // the escalation passed to the backup: the sweep's batch
        (await Version(plan)).ShouldBeGreaterThan(version);
        await ShouldEqualAReplay(plan, "the sweep's batch");

        version = await Version(plan);
        await using (await server.HoldBackHangfiresSweep())
        {
            var thrown = false;
            Decision<SweepResult> FailingInItsBatch(Plan? current, DateTimeOffset at, string? duty)
            {
                // Deciding throws once, in the batch: the sweep then takes the plan on its own.
                if (current?.Id == plan && !thrown) { thrown = true; throw new InvalidOperationException("not in a batch"); }
                return Sweep.Decide(current, at, duty);
            }
            server.Factory.Services.GetRequiredService<ManualClock>().Advance(TimeSpan.FromDays(1));
            (await server.Factory.Services.GetRequiredService<DeadlineSweep>().Run(FailingInItsBatch, CancellationToken.None)).ShouldBeGreaterThan(0);
            thrown.ShouldBeTrue();
        }
        (await Version(plan)).ShouldBeGreaterThan(version); // the next occurrence missed
        await ShouldEqualAReplay(plan, "the sweep's decision on the plan alone");

        // Longer than a page of Marten's rebuild (500 events): the rebuild applies the later pages to the document it
        // stored for the earlier ones, as read back from the database. One decision with many ratings, to be quick.
        var ratings = await server.Factory.Services.GetRequiredService<PlanStreams>().Decide(plan, Auth.Caller.System("ratings") with { Organisation = _organisation }, "test",
            (_, now) => Decision.Accept(0, Enumerable.Range(0, 510).Select(i => new SafetyRated(Guid.NewGuid(), $"r{i}", member, 5 + i % 5, null, now))),
            CancellationToken.None);
        ratings.Accepted.ShouldBeTrue();
        await ShouldEqualAReplay(plan, "a rebuild of a stream longer than a page");

        // Notes on the escalation, which the retention pass masks in the escalation inbox as well as in the events.
        var escalation = (await (await professional.GetAsync("/api/escalations?state=open")).Json()).EnumerateArray().Single().GetProperty("id").GetGuid();
        (await professional.Post($"/api/escalations/{escalation}/acknowledge", new { note = "Ik bel oma." })).EnsureSuccessStatusCode();
        (await professional.Post($"/api/escalations/{escalation}/resolve", new { note = "Oma was ziek." })).EnsureSuccessStatusCode();
        (await professional.Post($"/api/plans/{plan}/evaluations", new { outcome = "close", notes = "Afgesloten." })).EnsureSuccessStatusCode();
        await server.Advance("P8D"); // past Privacy:RetainAfterClose (P7D in the test server): the retention pass masks the plan
        (await (await professional.GetAsync($"/api/plans/{plan}")).Json()).GetProperty("title").GetString().ShouldBe("***");
        var compared = await ShouldEqualAReplay(plan, "the retention pass");
        compared.ShouldContain(k => k.StartsWith("mt_doc_escalationview/"));
        compared.ShouldContain(k => k.StartsWith("mt_doc_inboxitem/"));
        compared.ShouldContain(k => k.StartsWith("mt_doc_reportreceipt/"));
    }

    /// <summary>
    /// The plan's documents (plan, escalations, notifications, receipts) equal both a replay of its events from the first
    /// one and Marten's rebuild of every projection; the stream must not move meanwhile (deliveries are awaited first).
    /// Returns the documents compared.
    /// </summary>
    private async Task<IReadOnlyCollection<string>> ShouldEqualAReplay(Guid planId, string path)
    {
        await server.DeliveriesSettled(planId);
        var version = await Version(planId);
        var stored = await ProjectionReplay.Read(server.ConnectionString, planId);

        Plan? replayed;
        await using (var session = server.Store.QuerySession(_organisation))
            replayed = await session.Events.AggregateStreamAsync<Plan>(planId);
        var fromTheFirstEvent = ProjectionReplay.Differences(stored[$"mt_doc_plan/{planId}"], server.Store.Options.Serializer().ToJson(replayed));
        fromTheFirstEvent.ShouldBeEmpty($"after {path}, the stored plan differs from a replay of its events");

        await server.RebuildWhileQuiet([.. ProjectionReplay.Names]);
        var rebuilt = await ProjectionReplay.Read(server.ConnectionString, planId);
        if (await Version(planId) is var moved && moved != version)
            moved.ShouldBe(version, $"the plan's stream moved while it was being compared: {await EventsAfter(planId, version)}");
        stored.Keys.ShouldContain(k => k.StartsWith("mt_doc_plan/"));
        ProjectionReplay.Differences(stored, rebuilt).ShouldBeEmpty($"after {path}, the stored documents differ from a rebuild");
        return stored.Keys;
    }

    /// <summary>What was appended after <paramref name="version"/>: type, causation, user and data of each event, to name the cause when the stream moves.</summary>
    private async Task<string> EventsAfter(Guid planId, long version)
    {
        await using var session = server.Store.QuerySession(_organisation);
        var events = await session.Events.FetchStreamAsync(planId, fromVersion: version + 1);
        return string.Join("; ", events.Select(e => $"v{e.Version} {e.EventTypeName} by {e.UserName} ({e.CausationId}) {System.Text.Json.JsonSerializer.Serialize(e.Data)}"));
    }

    private async Task<long> Version(Guid planId)
    {
        await using var session = server.Store.QuerySession(_organisation);
        return (await session.Events.FetchStreamStateAsync(planId))!.Version;
    }
}
