using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SafetyPlan.Reports;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// A phone that heard no answer sends its report again with the same clientId: the first answer comes back and nothing
/// is appended, whatever happened to the plan since, however many copies arrive at once and on however many nodes.
/// The receipts are kept beside the plan, not in its document.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_report_is_sent_again(ServerFixture server)
{
    private static object CheckInBody(PlanBuilder plan, string clientId, string outcome = "kept") =>
        new { clientId, agreementId = plan.AgreementId, memberId = plan.MemberId, outcome };

    [Fact]
    public async Task each_kind_answers_200_with_the_first_result_and_the_plan_document_holds_no_receipts()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var reports = new (string Path, object Body, object Again)[]
        {
            ("check-ins", CheckInBody(plan, "k-1"), CheckInBody(plan, "k-1", "not-kept")),
            ("concerns", new { clientId = "k-2", memberId = plan.MemberId, text = "Zorg", severity = "low" },
                new { clientId = "k-2", memberId = plan.MemberId, text = "Andere zorg", severity = "high" }),
            ("ratings", new { clientId = "k-3", memberId = plan.MemberId, score = 6 }, new { clientId = "k-3", memberId = plan.MemberId, score = 2 }),
        };

        foreach (var (path, body, again) in reports)
        {
            var first = await plan.Member.Post($"/api/plans/{plan.PlanId}/{path}", body);
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
            var version = await server.StreamVersion(plan.PlanId);

            var repeat = await plan.Member.Post($"/api/plans/{plan.PlanId}/{path}", again);

            repeat.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            (await repeat.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
            (await server.StreamVersion(plan.PlanId)).ShouldBe(version);
        }

        (await Scalar("select count(*) from safetyplan.mt_doc_reportreceipt where data ->> 'planId' = @plan::text", plan.PlanId)).ShouldBe(3L);
        (await Scalar("select data ? 'receipts' from safetyplan.mt_doc_plan where id = @plan", plan.PlanId)).ShouldBe(false);
    }

    [Fact]
    public async Task a_client_id_used_for_another_kind_of_report_answers_409_and_appends_nothing()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        (await plan.CheckIn("kept", clientId: "used")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var version = await server.StreamVersion(plan.PlanId);

        var rating = await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "used", memberId = plan.MemberId, score = 5 });
        var concern = await plan.Member.Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = "used", memberId = plan.MemberId, text = "Zorg", severity = "high" });

        rating.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        concern.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await concern.Content.ReadAsStringAsync()).ShouldContain("clientId");
        (await server.StreamVersion(plan.PlanId)).ShouldBe(version);
    }

    [Fact]
    public async Task a_repeat_after_the_plan_was_closed_still_answers_200_with_the_first_result()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var first = await plan.CheckIn("kept", clientId: "before-closing");
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations", new { outcome = "close", notes = "Afgesloten." })).EnsureSuccessStatusCode();
        var version = await server.StreamVersion(plan.PlanId);

        var repeat = await plan.CheckIn("kept", clientId: "before-closing");
        var fresh = await plan.CheckIn("kept", clientId: "after-closing");

        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await repeat.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        fresh.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await server.StreamVersion(plan.PlanId)).ShouldBe(version);
    }

    [Fact]
    public async Task forty_copies_of_one_report_at_once_append_it_once_and_all_answer_its_id()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var version = await server.StreamVersion(plan.PlanId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            plan.Member.Post($"/api/plans/{plan.PlanId}/check-ins", CheckInBody(plan, "storm"))));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(39);
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Json()).GetProperty("id").GetGuid()));
        ids.Distinct().Count().ShouldBe(1);
        (await server.StreamVersion(plan.PlanId)).ShouldBe(version + 1);
    }

    [Fact]
    public async Task copies_of_one_report_racing_on_two_nodes_append_it_once()
    {
        var database = await server.CreateDatabase("receipts_two_nodes");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database, ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var first = new ServerProcess(environment);
        await using var second = new ServerProcess(environment);
        await first.Start(ServerFixture.Start);
        await second.Start(ServerFixture.Start);
        var professional = first.As("racing-monitor", "professional");
        var planId = await (await professional.Post("/api/plans", new { title = "Race", family = "F", monitorId = "racing-monitor" })).CreatedId();
        var member = await (await professional.Post($"/api/plans/{planId}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await professional.Post($"/api/plans/{planId}/agreements", new { text = "Bellen", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT1H", reportFrom = "P1D" })).CreatedId();
        (await professional.Post($"/api/plans/{planId}/agree", new { evaluationDue = "2027-06-01" })).EnsureSuccessStatusCode();
        var phones = new[] { first.As("oma", $"member:{member}"), second.As("oma", $"member:{member}") };

        for (var round = 0; round < 5; round++)
        {
            var clientId = $"race-{round}";
            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => phones[i % 2].Post($"/api/plans/{planId}/ratings",
                new { clientId, memberId = member, score = round })));

            answers.Select(a => (int)a.StatusCode).Order().ToArray().ShouldBe([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201], $"round {round}");
            (await Task.WhenAll(answers.Select(async a => (await a.Json()).GetProperty("id").GetGuid()))).Distinct().Count().ShouldBe(1);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*), count(distinct data ->> 'clientId') from safetyplan.mt_events where type = 'safety_rated'", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        (reader.GetInt64(0), reader.GetInt64(1)).ShouldBe((5L, 5L));
    }

    [Fact]
    public async Task a_report_made_before_receipts_had_a_table_of_their_own_is_still_recognised()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var first = await plan.CheckIn("kept", clientId: "before-the-upgrade");
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        // The database as it was before: no receipt document (it was inside the plan document), and the one-off not yet run.
        await using (var session = server.Store.LightweightSession())
        {
            session.DeleteWhere<ReportReceipt>(r => r.PlanId == plan.PlanId);
            session.Delete<ReceiptsFromEvents.DataUpgrade>(ReceiptsFromEvents.MarkerId);
            await session.SaveChangesAsync();
        }
        await Scalar("""update safetyplan.mt_doc_plan set data = jsonb_set(data, '{receipts}', '{"before-the-upgrade": {"kind": "CheckIn"}}') where id = @plan""", plan.PlanId);
        var version = await server.StreamVersion(plan.PlanId);

        await server.Factory.Services.GetServices<IHostedService>().OfType<ReceiptsFromEvents>().Single().StartAsync(CancellationToken.None);

        var repeat = await plan.CheckIn("kept", clientId: "before-the-upgrade");
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await repeat.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await server.StreamVersion(plan.PlanId)).ShouldBe(version);
        (await plan.CheckIn("kept", clientId: "after-the-upgrade")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Scalar("select data ? 'receipts' from safetyplan.mt_doc_plan where id = @plan", plan.PlanId)).ShouldBe(false);
    }

    [Fact]
    public async Task a_rebuild_recreates_the_receipts_from_the_events()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var first = await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "rebuilt", memberId = plan.MemberId, score = 4 });
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        await using (var session = server.Store.LightweightSession())
        {
            session.DeleteWhere<ReportReceipt>(r => r.PlanId == plan.PlanId);
            await session.SaveChangesAsync();
        }

        await server.RebuildWhileQuiet("SafetyPlan.Reports.ReportReceiptProjection");

        var repeat = await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "rebuilt", memberId = plan.MemberId, score = 4 });
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await repeat.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
    }

    private async Task<object?> Scalar(string sql, Guid planId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("plan", planId);
        return await command.ExecuteScalarAsync();
    }
}
