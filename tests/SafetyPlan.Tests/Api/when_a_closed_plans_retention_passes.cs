using Marten;
using Npgsql;
using SafetyPlan.Plans;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using ChainVerification = SafetyPlan.Tests.Contract.ChainVerification;
using PlanStatus = SafetyPlan.Tests.Contract.PlanStatus;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Privacy:RetainAfterClose (P7D in the test server): after it, a closed plan's personal data is masked in its events
/// and documents; the structure, the compliance figures and the verifiability of the hash chain stay.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_closed_plans_retention_passes(ServerFixture server)
{
    private static readonly string[] Personal =
    [
        "Oma Riet", "riet@example.org", "Buurman Piet", "0612345678", "Jansen", "Te laat door de file", "Moeder rook naar drank",
        "Het voelt veiliger", "Gebeld met oma", "Besproken met het netwerk", "Het gaat goed; het netwerk gaat zelf verder",
        "moeder drinkt", "Oma haalt de kinderen", "Bij het niet nakomen",
    ];

    private async Task<List<string>> Texts(string sql, Guid planId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", planId);
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) texts.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        return texts;
    }

    /// <summary>Every stored trace of the plan: event rows (data, headers, actor) and every document that names it.</summary>
    private async Task<string> Stored(Guid planId) => string.Join("\n", [
        .. await Texts("select data::text || headers::text || coalesce(user_name, '') from safetyplan.mt_events where stream_id = @id", planId),
        .. await Texts("select data::text from safetyplan.mt_doc_plan where id = @id", planId),
        .. await Texts("select data::text from safetyplan.mt_doc_escalationview where data ->> 'planId' = @id::text", planId),
        .. await Texts("select data::text from safetyplan.mt_doc_inboxitem where data ->> 'planId' = @id::text", planId),
        .. await Texts("select data::text from safetyplan.mt_doc_accesslogentry where data ->> 'planId' = @id::text", planId),
        .. await Texts("select data::text from safetyplan.mt_doc_planreplaysnapshot where data ->> 'planId' = @id::text", planId)]);

    /// <summary>The compliance figures of the case file: per agreement and per escalation (the texts are left out).</summary>
    private sealed record Figures(Values<AgreementFigures> Agreements, Values<CaseEscalation> Escalations, Values<int> Ratings, Values<string> Events)
    {
        public static Figures Of(CaseFile file) => new(
            file.Plan.Agreements.Select(a => new AgreementFigures(a.Id, a.Kept, a.Partly, a.NotKept, a.Missed)).ToList(),
            file.Escalations.Select(e => e with { BottomLine = "" }).ToList(),
            file.Plan.Ratings.Select(r => r.Score).ToList(),
            // Deliveries may still land after closing; the masking record is the one event masking adds.
            file.Timeline.Where(t => !t.Type.StartsWith("notification-") && t.Type != "personal-data-masked")
                .Select(t => $"{t.Version} {t.Type} {t.At:O}").ToList());
    }

    private sealed record AgreementFigures(Guid Id, int Kept, int Partly, int NotKept, int Missed);

    [Fact]
    public async Task personal_data_is_masked_once_while_figures_and_a_verifiable_chain_remain()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        var neighbour = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman Piet", role = "network", phone = "0612345678" })).CreatedId();
        await plan.Agreed();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = "r1", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "not-kept", note = "Te laat door de file" })).EnsureSuccessStatusCode();
        (await server.As("piet", $"member:{neighbour}").Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = "r2", memberId = neighbour, text = "Moeder rook naar drank", severity = "low" })).EnsureSuccessStatusCode();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "r3", memberId = plan.MemberId, score = 6, note = "Het voelt veiliger" })).EnsureSuccessStatusCode();
        (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}")).EnsureSuccessStatusCode(); // in the access log, by the member's sign-in name
        var escalation = (await plan.Escalations("?state=open")).First(e => e.PlanId == plan.PlanId).Id;
        await server.Advance("PT20M");
        (await plan.Professional.Post($"/api/escalations/{escalation}/acknowledge", new { note = "Gebeld met oma" })).EnsureSuccessStatusCode();
        (await plan.Professional.Post($"/api/escalations/{escalation}/resolve", new { note = "Besproken met het netwerk" })).EnsureSuccessStatusCode();
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations", new { outcome = "close", notes = "Het gaat goed; het netwerk gaat zelf verder." })).EnsureSuccessStatusCode();
        var closedAt = await server.Now();
        var before = await plan.Professional.Get<CaseFile>($"/api/plans/{plan.PlanId}/export");
        before.Escalations.ShouldAllBe(e => e.AcknowledgedAt != null && e.ResolvedAt != null && e.MinutesToAcknowledge != null);
        var statusBefore = await plan.Status($"?asOf={Uri.EscapeDataString(closedAt.ToString("O"))}");
        var domainEvents = await server.DomainEvents(plan.PlanId);
        // A replay snapshot of the plan (written on reading a long plan's history) holds its personal data too.
        await using (var session = server.Store.LightweightSession())
        {
            var current = (await session.LoadAsync<Plan>(plan.PlanId))!;
            session.Store(new PlanReplaySnapshot { Id = PlanReplays.SnapshotId(plan.PlanId, current.Version), PlanId = plan.PlanId, Version = current.Version, Plan = current });
            await session.SaveChangesAsync();
        }
        // A member's phone subscribed to push (its endpoint and keys), one gone before; another plan's stays.
        var owner = SafetyPlan.Notifications.PushOwner.Member(plan.PlanId, plan.MemberId);
        var otherOwner = SafetyPlan.Notifications.PushOwner.Member(Guid.NewGuid(), Guid.NewGuid());
        await using (var session = server.Store.LightweightSession())
        {
            session.Store(new SafetyPlan.Notifications.PushSubscriptionDocument { Id = $"{owner}|a1", Owner = owner, Endpoint = "https://push.example/oma", P256dh = "k", Auth = "a" });
            session.Store(new SafetyPlan.Notifications.PushSubscriptionDocument { Id = $"{otherOwner}|b2", Owner = otherOwner, Endpoint = "https://push.example/other", P256dh = "k", Auth = "a" });
            session.Store(new SafetyPlan.Notifications.PushSubscriptionGone { Id = $"{owner}|c3", Owner = owner, Failure = "http-410" });
            await session.SaveChangesAsync();
        }
        async Task<int> PushRecordsOf(string who)
        {
            await using var session = server.Store.QuerySession();
            return await session.Query<SafetyPlan.Notifications.PushSubscriptionDocument>().CountAsync(d => d.Owner == who)
                   + await session.Query<SafetyPlan.Notifications.PushSubscriptionGone>().CountAsync(d => d.Owner == who);
        }
        (await PushRecordsOf(owner)).ShouldBe(2);
        var snapshot = await Texts("select data::text from safetyplan.mt_doc_planreplaysnapshot where data ->> 'planId' = @id::text", plan.PlanId);
        snapshot.ShouldHaveSingleItem().ShouldContain("Oma Riet");
        var stored = await Stored(plan.PlanId);
        foreach (var text in Personal) stored.ShouldContain(text);

        // A day before the retention period ends nothing is masked; once it has passed, the clock's pass masks it.
        await server.Advance("P6DT23H");
        (await server.DomainEvents(plan.PlanId)).ShouldBe(domainEvents);
        (await Stored(plan.PlanId)).ShouldContain("Oma Riet");
        await server.Advance("PT2H");

        stored = await Stored(plan.PlanId);
        foreach (var text in Personal) stored.ShouldNotContain(text);
        ((await PushRecordsOf(owner)), (await PushRecordsOf(otherOwner))).ShouldBe((0, 1));
        (await server.DomainEvents(plan.PlanId)).ShouldBe(domainEvents + 1);
        var version = await server.StreamVersion(plan.PlanId);
        var history = await plan.History();
        var last = history.Last();
        (last.Type, last.Actor).ShouldBe(("personal-data-masked", "privacy-retention"));
        last.DataAs<MaskingData>().ShouldBe(new MaskingData("Privacy:RetainAfterClose=P7D", MaskedUpToVersion: version - 1));
        history.Count(e => e.Type == "check-in-logged").ShouldBe(1); // the structure stays

        // The compliance figures are the same, now and as the plan stood when it closed.
        var after = await plan.Professional.Get<CaseFile>($"/api/plans/{plan.PlanId}/export");
        Figures.Of(after).ShouldBe(Figures.Of(before));
        var statusAfter = await plan.Status($"?asOf={Uri.EscapeDataString(closedAt.ToString("O"))}");
        static (int, int, int, int, int) Counts(PlanStatus status) => status.Agreements[0] is var a ? (a.Due, a.Kept, a.Partly, a.NotKept, a.Missed) : default;
        Counts(statusAfter).ShouldBe(Counts(statusBefore));
        statusAfter.Status.ShouldBe(statusBefore.Status);
        statusAfter.Members.Select(m => m.Name).ShouldAllBe(n => n == "***");

        // The chain verifies over the masked content, and says when it was masked.
        var verify = await server.As("auditor-1", "auditor").Get<ChainVerification>($"/api/plans/{plan.PlanId}/verify");
        verify.ShouldBe(new ChainVerification(plan.PlanId, Intact: true, Events: (int)version, null, null,
            new ChainMasking(MaskedUpToVersion: version - 1, OriginalChainVerified: true)));

        // Masked events carry the masked chain instead of their original hash (which could confirm a guessed text).
        (await Texts("select headers ->> 'hash' from safetyplan.mt_events where stream_id = @id and headers ->> 'hash.masked' is not null", plan.PlanId))
            .ShouldBe(Enumerable.Repeat("", (int)version - 1).ToList());

        // Members' sign-in names are gone from the access log and from the actor of their reports.
        (await Texts("select data ->> 'userId' from safetyplan.mt_doc_accesslogentry where data ->> 'planId' = @id::text and data ->> 'roles' like 'member:%'", plan.PlanId))
            .ShouldAllBe(user => user == "***");
        var actors = await Texts("select user_name from safetyplan.mt_events where stream_id = @id and headers ->> 'roles' like '%member:%'", plan.PlanId);
        actors.Count.ShouldBeGreaterThanOrEqualTo(3); // a check-in, a concern and a rating, with what they caused
        actors.ShouldAllBe(user => user == "***");

        // A second pass changes nothing and appends nothing.
        stored = await Stored(plan.PlanId);
        await server.Advance("P1D");
        (await server.StreamVersion(plan.PlanId)).ShouldBe(version);
        (await Stored(plan.PlanId)).ShouldBe(stored);

        // Rebuilt from the masked events, the documents come back exactly as masked.
        var statusNow = await plan.Professional.GetStringAsync($"/api/plans/{plan.PlanId}");
        var escalationsNow = await plan.Professional.GetStringAsync("/api/escalations");
        escalationsNow.ShouldContain(escalation.ToString());
        await server.RebuildWhileQuiet("Plan", "EscalationView");
        (await plan.Professional.GetStringAsync($"/api/plans/{plan.PlanId}")).ShouldBe(statusNow);
        (await plan.Professional.GetStringAsync("/api/escalations")).ShouldBe(escalationsNow);

        // Editing a masked row afterwards is still detected, at that row.
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var edit = new NpgsqlCommand("update safetyplan.mt_events set data = jsonb_set(data, '{outcome}', '\"Kept\"') where stream_id = @id and type = 'check_in_logged' returning version", connection);
        edit.Parameters.AddWithValue("id", plan.PlanId);
        var edited = (long)(await edit.ExecuteScalarAsync())!;
        var broken = await server.As("auditor-1", "auditor").Get<ChainVerification>($"/api/plans/{plan.PlanId}/verify");
        (broken.Intact, broken.FirstBrokenVersion).ShouldBe((false, edited));
    }

    [Fact]
    public async Task a_plan_whose_chain_is_broken_is_left_as_evidence_and_not_masked()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations", new { outcome = "close", notes = "Afgesloten." })).EnsureSuccessStatusCode();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand("update safetyplan.mt_events set data = jsonb_set(data, '{name}', '\"Oma Truus\"') where stream_id = @id and type = 'member_added'", connection);
            edit.Parameters.AddWithValue("id", plan.PlanId);
            (await edit.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        var version = await server.StreamVersion(plan.PlanId);

        await server.Advance("P8D");

        (await server.StreamVersion(plan.PlanId)).ShouldBe(version);
        var stored = await Stored(plan.PlanId);
        stored.ShouldContain("Oma Truus");
        stored.ShouldContain("riet@example.org");
    }

    [Fact]
    public async Task a_plan_document_from_before_closing_times_were_kept_is_judged_by_its_closing_evaluation()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.Agreed();
        (await plan.Professional.Post($"/api/plans/{plan.PlanId}/evaluations", new { outcome = "close", notes = "Afgesloten." })).EnsureSuccessStatusCode();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var old = new NpgsqlCommand("update safetyplan.mt_doc_plan set data = data - 'closedAt' where id = @id", connection);
            old.Parameters.AddWithValue("id", plan.PlanId);
            (await old.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        await server.Advance("P8D");

        (await Stored(plan.PlanId)).ShouldNotContain("Oma Riet");
        var verify = await server.As("auditor-1", "auditor").Get<ChainVerification>($"/api/plans/{plan.PlanId}/verify");
        verify.Intact.ShouldBeTrue();
        verify.Masking.ShouldNotBeNull();
    }
}
