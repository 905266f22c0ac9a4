using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SafetyPlan.Clock;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using SafetyPlan.Scheduling;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The sweep stores many plans of one organisation in one transaction; a batch that cannot be stored as a whole (a plan
/// changed at the same moment) is taken plan by plan. Either way every deadline is handled once, in the plan's own
/// organisation, with an intact hash chain. Each test uses an organisation of its own, so that its plans form batches
/// of their own whatever other tests left due.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_many_plans_fall_due_at_once(ServerFixture server)
{
    [Fact]
    public async Task sixty_due_plans_are_stored_a_batch_at_a_time_with_every_missed_check_in_once()
    {
        var organisation = $"batch-{Guid.NewGuid():N}";
        await server.AdvanceToNext(new TimeOnly(8, 0));
        var plans = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => DuePlan(organisation)));

        await using (await server.HoldBackHangfiresSweep())
            await server.Advance("PT4H"); // 10:00 + PT1H grace has passed for all sixty

        var missed = await MissedCheckIns(organisation);
        missed.Keys.ShouldBe(plans.Select(p => p.Plan), ignoreOrder: true);
        missed.Values.ShouldAllBe(m => m.Count == 1);
        // Fifty plans per transaction: two (three if the due plans were read in two pieces), not sixty.
        missed.Values.Select(m => m.Transaction).Distinct().Count().ShouldBeLessThanOrEqualTo(3);

        await server.Advance("PT1H"); // a re-run appends nothing
        (await MissedCheckIns(organisation)).Values.ShouldAllBe(m => m.Count == 1);
        var auditor = server.In(organisation, "audit-batch", "auditor");
        foreach (var (plan, _) in plans.Take(5))
            (await (await auditor.GetAsync($"/api/plans/{plan}/verify")).Json()).GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task a_plan_rated_while_its_batch_is_swept_sends_the_batch_plan_by_plan_and_each_plan_is_swept_once()
    {
        var organisation = $"batch-{Guid.NewGuid():N}";
        await server.AdvanceToNext(new TimeOnly(8, 0));
        var plans = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => DuePlan(organisation)));
        var (changedPlan, changedMember) = plans[2];
        var ids = plans.Select(p => p.Plan).ToHashSet();

        var decided = new ConcurrentDictionary<Guid, int>();
        HttpStatusCode? rated = null;
        Decision<SweepResult> DecideWhileAMemberRates(Plan? plan, DateTimeOffset at, string? duty)
        {
            if (plan is not null && ids.Contains(plan.Id) && decided.AddOrUpdate(plan.Id, 1, (_, n) => n + 1) == 1 && plan.Id == changedPlan)
            {
                // The member rates the plan after the sweep read it and before the sweep stores its batch: the batch's
                // version of this plan is now one behind. (The sweep calls decisions synchronously, hence the wait.)
                rated = server.In(organisation, "oma", $"member:{changedMember}")
                    .Post($"/api/plans/{changedPlan}/ratings", new { clientId = "r1", memberId = changedMember, score = 6 })
                    .GetAwaiter().GetResult().StatusCode;
            }
            return Sweep.Decide(plan, at, duty);
        }

        await using (await server.HoldBackHangfiresSweep())
        {
            server.Factory.Services.GetRequiredService<ManualClock>().Advance(TimeSpan.FromHours(4));
            await server.Factory.Services.GetRequiredService<DeadlineSweep>().Run(DecideWhileAMemberRates, CancellationToken.None);
        }

        rated.ShouldBe(HttpStatusCode.Created);
        decided[changedPlan].ShouldBe(2); // in the batch, then on its own after the batch was refused
        var missed = await MissedCheckIns(organisation);
        missed.Keys.ShouldBe(ids, ignoreOrder: true);
        missed.Values.ShouldAllBe(m => m.Count == 1);
        missed.Values.Select(m => m.Transaction).Distinct().Count().ShouldBe(5); // each stored on its own

        await server.Advance("PT1H"); // a re-run appends nothing
        (await MissedCheckIns(organisation)).Values.ShouldAllBe(m => m.Count == 1);
        var history = await (await server.In(organisation, "audit-batch", "auditor").GetAsync($"/api/plans/{changedPlan}/history")).Json();
        history.EnumerateArray().Count(e => e.GetProperty("type").GetString() == "safety-rated").ShouldBe(1);
        (await (await server.In(organisation, "audit-batch", "auditor").GetAsync($"/api/plans/{changedPlan}/verify")).Json())
            .GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    /// <summary>An agreed plan with one daily agreement at 10:00 and an hour's grace, in the given organisation.</summary>
    private async Task<(Guid Plan, Guid Member)> DuePlan(string organisation)
    {
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var professional = server.In(organisation, monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Veel tegelijk", family = "F", monitorId = monitor })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma belt om tien uur.", responsibleMemberId = member, schedule = new { daily = "10:00" }, grace = "PT1H",
        })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2028-06-01" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (plan, member);
    }

    /// <summary>Per plan of the organisation: its missed check-ins, and the transaction (xmin) that stored them.</summary>
    private async Task<Dictionary<Guid, (long Count, string Transaction)>> MissedCheckIns(string organisation)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select stream_id, count(*), min(xmin::text) from safetyplan.mt_events where tenant_id = @tenant and type = 'check_in_missed' group by stream_id", connection);
        command.Parameters.AddWithValue("tenant", organisation);
        var missed = new Dictionary<Guid, (long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) missed[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetString(2));
        return missed;
    }
}
