using System.Text.Json.Nodes;
using Npgsql;
using SafetyPlan.Audit;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Tamper evidence beyond an edited event (docs/security.md, "Tamper evidence"): a deleted tail is caught by the stream's
/// version and the plan's kept head, who appended an event is covered by the hash (rule 2), and a consistent rewrite of
/// events and plan document together is caught against an anchor kept outside the database.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_plans_history_is_cut_or_rewritten(ServerFixture server)
{
    /// <summary><c>GET /api/plans/{planId}/verify</c> as this test reads it.</summary>
    private sealed record Verification(bool Intact, int Events, long? FirstBrokenVersion, string? Reason, string? Head);

    private Task<Verification> Verify(Guid planId, string query = "") =>
        server.As("auditor-1", "auditor").Get<Verification>($"/api/plans/{planId}/verify{query}");

    private async Task<int> Sql(string sql, Guid planId, long version = 0, string? text = null)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", planId);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("text", text ?? "");
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<PlanBuilder> AgreedPlanWithReports()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        (await plan.CheckIn("kept")).EnsureSuccessStatusCode();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode();
        return plan;
    }

    [Fact]
    public async Task an_untouched_plan_is_intact_and_names_its_head()
    {
        var plan = await AgreedPlanWithReports();
        var version = await server.StreamVersion(plan.PlanId);

        var verified = await Verify(plan.PlanId);

        (verified.Intact, verified.Events, verified.Reason).ShouldBe((true, (int)version, (string?)null));
        verified.Head!.ShouldMatch($"^[0-9a-f]{{64}}@{version}$");
        (await Verify(plan.PlanId, $"?anchor={verified.Head}")).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task deleting_the_last_events_with_sql_is_detected()
    {
        var plan = await AgreedPlanWithReports();
        var version = await server.StreamVersion(plan.PlanId);

        (await Sql("delete from safetyplan.mt_events where stream_id = @id and version > @version", plan.PlanId, version - 2)).ShouldBe(2);

        (await Verify(plan.PlanId)).ShouldBe(new Verification(false, (int)version - 2, version - 1, "events-removed", null));
    }

    [Fact]
    public async Task deleting_the_tail_and_setting_back_the_streams_version_is_still_detected_by_the_plans_kept_head()
    {
        var plan = await AgreedPlanWithReports();
        var version = await server.StreamVersion(plan.PlanId);

        await Sql("delete from safetyplan.mt_events where stream_id = @id and version > @version", plan.PlanId, version - 1);
        await Sql("update safetyplan.mt_streams set version = @version where id = @id", plan.PlanId, version - 1);

        var broken = await Verify(plan.PlanId);
        (broken.Intact, broken.Reason).ShouldBe((false, "events-removed"));
    }

    [Fact]
    public async Task changing_who_appended_an_event_breaks_the_chain_there()
    {
        var plan = await AgreedPlanWithReports();

        (await Sql("update safetyplan.mt_events set user_name = 'someone-else' where stream_id = @id and version = @version", plan.PlanId, 3)).ShouldBe(1);
        (await Verify(plan.PlanId)).ShouldBe(new Verification(false, 3, 3, "hash", null));

        var other = await AgreedPlanWithReports();
        await Sql("update safetyplan.mt_events set headers = jsonb_set(headers, '{roles}', '\"auditor\"') where stream_id = @id and version = @version", other.PlanId, 2);
        (await Verify(other.PlanId)).ShouldBe(new Verification(false, 2, 2, "hash", null));
    }

    [Fact]
    public async Task rewriting_an_event_and_its_hashes_and_the_plan_document_consistently_is_detected_against_the_anchor()
    {
        var plan = await AgreedPlanWithReports();
        var anchor = (await Verify(plan.PlanId)).Head!;
        var version = await server.StreamVersion(plan.PlanId);

        // Someone who knows the scheme turns the not-kept report into a kept one and recomputes everything after it.
        var links = await VerifyChain.Read(server.Store, "*DEFAULT*", plan.PlanId, CancellationToken.None);
        var notKept = links.Last(l => l.Json.Contains("\"NotKept\"")).Version;
        var previous = links[(int)notKept - 2].Hash!;
        foreach (var link in links.Where(l => l.Version >= notKept))
        {
            var json = link.Version == notKept ? JsonNode.Parse(link.Json)!.AsObject().Also(o => o["outcome"] = "Kept").ToJsonString() : link.Json;
            previous = link with { Json = json } is var forged ? forged.Link(previous, plan.PlanId) : "";
            await Sql("update safetyplan.mt_events set data = @text::jsonb, headers = jsonb_set(headers, '{hash}', to_jsonb(@hash::text)) where stream_id = @id and version = @version"
                .Replace("@hash", $"'{previous}'"), plan.PlanId, link.Version, json);
        }
        await Sql("update safetyplan.mt_doc_plan set data = jsonb_set(data, '{chainHead}', to_jsonb(@text::text)) where id = @id", plan.PlanId, text: previous);

        var withoutAnchor = await Verify(plan.PlanId);
        (withoutAnchor.Intact, withoutAnchor.Head).ShouldBe((true, $"{previous}@{version}"));
        (await Verify(plan.PlanId, $"?anchor={anchor}")).ShouldBe(new Verification(false, (int)version, version, "anchor-differs", null));
    }

    [Fact]
    public async Task an_anchor_that_is_not_hash_at_version_is_refused()
    {
        var plan = await new PlanBuilder(server).Drafted();
        (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/verify?anchor=abc@1")).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
    }
}

internal static class Scoping
{
    public static T Also<T>(this T value, Action<T> act)
    {
        act(value);
        return value;
    }
}
