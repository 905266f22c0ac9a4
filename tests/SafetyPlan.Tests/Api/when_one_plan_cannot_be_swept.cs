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
/// One plan that cannot be swept never holds up the alarms of the others, and is never lost from sight: a duty lookup
/// that throws, or a decision that ends in a rejection (the plan changed concurrently eight times), leaves that plan due,
/// counts it as failed and logs it by id (no case data), while the other plans of the same run are swept. Each test uses
/// organisations of its own, so that its plans form batches of their own whatever other tests left due.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_one_plan_cannot_be_swept(ServerFixture server)
{
    [Fact]
    public async Task a_duty_lookup_that_throws_for_one_plan_does_not_stop_another_plans_missed_check_in_in_the_same_sweep()
    {
        var (failing, healthy) = ($"duty-fails-{Guid.NewGuid():N}"[..24], $"duty-works-{Guid.NewGuid():N}"[..24]);
        await server.AdvanceToNext(new TimeOnly(8, 0));
        var failingPlan = await DuePlan(failing);
        var healthyPlan = await DuePlan(healthy);

        var lookupFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<string?> DutyOf(string tenant, CancellationToken ct)
        {
            if (tenant == failing)
            {
                lookupFailed.TrySetResult();
                throw new NpgsqlException("the duty professional could not be read");
            }
            // The healthy plan's organisation is swept after the other's lookup threw: before the fix, that throw
            // cancelled the whole run and this plan's alarm waited for the next one.
            if (tenant == healthy) { await lookupFailed.Task; await Task.Delay(200, CancellationToken.None); }
            return await server.Factory.Services.GetRequiredService<PlanStreams>().DutyOf(tenant, ct);
        }

        await using (await server.HoldBackHangfiresSweep())
        {
            server.Factory.Services.GetRequiredService<ManualClock>().Advance(TimeSpan.FromHours(4)); // 10:00 + PT1H has passed
            await server.Factory.Services.GetRequiredService<DeadlineSweep>().Run(Sweep.Decide, CancellationToken.None, DutyOf);
        }

        (await MissedCheckIns(healthy)).ShouldBe(1, "the other plan's alarm was not held up");
        (await MissedCheckIns(failing)).ShouldBe(0, "the plan whose lookup threw stays due, for the next run");
        server.Logs.Lines.ShouldContain(l => l.Contains($"Sweeping plan {failingPlan} failed; it stays due"));
        server.Logs.Lines.ShouldContain(l => l.Contains("Deadline sweep at") && l.Contains(" failed") && !l.Contains(" 0 failed"));
        _ = healthyPlan;

        await server.Advance("PT1M"); // the next run (with a working lookup) catches the plan up
        (await MissedCheckIns(failing)).ShouldBe(1);
    }

    [Fact]
    public async Task a_decision_that_ends_in_a_rejection_is_counted_as_failed_and_logged_by_id_and_the_plan_stays_due()
    {
        var organisation = $"refused-{Guid.NewGuid():N}"[..24];
        await server.AdvanceToNext(new TimeOnly(8, 0));
        var refusedPlan = await DuePlan(organisation);
        var sweptPlan = await DuePlan(organisation);
        const string secret = "Oma Jansen is ziek";
        Decision<SweepResult> RefuseOne(Plan? plan, DateTimeOffset at, string? duty) =>
            plan?.Id == refusedPlan
                ? Rejection.Conflict($"{secret}: the plan was changed by someone else at the same moment.", $"{secret}: gelijktijdig gewijzigd.")
                : Sweep.Decide(plan, at, duty);

        await using (await server.HoldBackHangfiresSweep())
        {
            server.Factory.Services.GetRequiredService<ManualClock>().Advance(TimeSpan.FromHours(4));
            await server.Factory.Services.GetRequiredService<DeadlineSweep>().Run(RefuseOne, CancellationToken.None);
        }

        (await MissedCheckIns(organisation, sweptPlan)).ShouldBe(1);
        (await MissedCheckIns(organisation, refusedPlan)).ShouldBe(0);
        var logged = server.Logs.Lines.Where(l => l.Contains(refusedPlan.ToString())).ToList();
        logged.ShouldContain(l => l.Contains($"Sweeping plan {refusedPlan} was refused (Conflict); it stays due"));
        server.Logs.Lines.ShouldNotContain(l => l.Contains(secret), "no case data in the log beyond ids");
    }

    /// <summary>An agreed plan with one daily agreement at 10:00 and an hour's grace, in the given organisation.</summary>
    private async Task<Guid> DuePlan(string organisation)
    {
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var professional = server.In(organisation, monitor, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Eén plan faalt", family = "F", monitorId = monitor })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        await (await professional.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma belt om tien uur.", responsibleMemberId = member, schedule = new { daily = "10:00" }, grace = "PT1H",
        })).CreatedId();
        (await professional.Post($"/api/plans/{plan}/agree", new { evaluationDue = "2028-06-01" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return plan;
    }

    /// <summary>The organisation's missed check-ins (of one plan when given).</summary>
    private async Task<long> MissedCheckIns(string organisation, Guid? plan = null)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from safetyplan.mt_events where tenant_id = @tenant and type = 'check_in_missed' and (@plan::uuid is null or stream_id = @plan)", connection);
        command.Parameters.AddWithValue("tenant", organisation);
        command.Parameters.Add(new NpgsqlParameter("plan", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)plan ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
