using Npgsql;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The plan document keeps the hash chain's head (the last event's hash) so that an append needs no second read;
/// documents stored before that, or with a head that does not belong to the stream's version, fall back to reading it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_event_is_linked_to_the_chains_head(ServerFixture server)
{
    private async Task<object?> Scalar(string sql, Guid planId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", planId);
        return await command.ExecuteScalarAsync();
    }

    private async Task<(string? Head, long? Version)> KeptHead(Guid planId)
    {
        var head = await Scalar("select data ->> 'chainHead' from safetyplan.mt_doc_plan where id = @id", planId) as string;
        var version = await Scalar("select (data ->> 'chainHeadVersion')::bigint from safetyplan.mt_doc_plan where id = @id", planId);
        return (head, version is long v ? v : null);
    }

    private async Task<string?> LastHash(Guid planId) => await Scalar(
        "select headers ->> 'hash' from safetyplan.mt_events where stream_id = @id order by version desc limit 1", planId) as string;

    private async Task<bool> Intact(Guid planId) =>
        (await (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{planId}/verify")).Json()).GetProperty("intact").GetBoolean();

    [Fact]
    public async Task the_head_on_the_plan_is_the_last_events_hash_after_every_append()
    {
        var plan = await new PlanBuilder(server).Drafted();
        (await KeptHead(plan.PlanId)).ShouldBe((await LastHash(plan.PlanId), await server.StreamVersion(plan.PlanId)));

        await plan.Agreed();
        (await plan.CheckIn("not-kept")).EnsureSuccessStatusCode(); // several events in one append
        (await plan.CheckIn("kept")).EnsureSuccessStatusCode();

        var (head, version) = await KeptHead(plan.PlanId);
        head.ShouldNotBeNull();
        head.ShouldBe(await LastHash(plan.PlanId));
        version.ShouldBe(await server.StreamVersion(plan.PlanId));
        (await Intact(plan.PlanId)).ShouldBeTrue();
    }

    [Fact]
    public async Task a_plan_stored_before_the_head_was_kept_links_its_next_event_to_the_stored_chain()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        await Scalar("update safetyplan.mt_doc_plan set data = data - 'chainHead' - 'chainHeadVersion' where id = @id", plan.PlanId);

        (await plan.CheckIn("kept")).EnsureSuccessStatusCode();

        (await Intact(plan.PlanId)).ShouldBeTrue();
        (await KeptHead(plan.PlanId)).ShouldBe((await LastHash(plan.PlanId), await server.StreamVersion(plan.PlanId)));
    }

    [Fact]
    public async Task a_head_that_belongs_to_another_version_is_not_used()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        // A head that is not the stream's: an append that trusted it would break the chain at the next version.
        await Scalar("""
            update safetyplan.mt_doc_plan
            set data = data || jsonb_build_object('chainHead', repeat('f', 64), 'chainHeadVersion', (data ->> 'chainHeadVersion')::bigint - 1)
            where id = @id
            """, plan.PlanId);

        (await plan.CheckIn("kept")).EnsureSuccessStatusCode();

        (await Intact(plan.PlanId)).ShouldBeTrue();
    }

    [Fact]
    public async Task a_head_altered_on_the_plan_document_is_caught_by_verification()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        var next = await server.StreamVersion(plan.PlanId) + 1;
        // The head is read from the document now, so someone who alters it there makes the next event link to a wrong
        // head: the chain, recomputed from the stored events alone, names that event.
        await Scalar("update safetyplan.mt_doc_plan set data = data || jsonb_build_object('chainHead', repeat('f', 64)) where id = @id", plan.PlanId);

        (await plan.CheckIn("kept")).EnsureSuccessStatusCode();

        var verification = await (await server.As("auditor-1", "auditor").GetAsync($"/api/plans/{plan.PlanId}/verify")).Json();
        verification.GetProperty("intact").GetBoolean().ShouldBeFalse();
        verification.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(next);
    }
}
