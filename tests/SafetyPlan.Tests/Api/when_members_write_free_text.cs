using System.Net;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Members' free text (check-in notes, rating notes, concern texts) is for professionals only.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_members_write_free_text(ServerFixture server)
{
    private const string Withheld = "[alleen voor professionals / professionals only]";
    private static readonly string[] Notes = ["Te laat door de file", "Moeder rook naar drank", "Het voelt veiliger"];

    /// <summary>A plan where one member wrote a check-in note and a rating note, and a neighbour raised a concern.</summary>
    private async Task<(PlanBuilder Plan, Guid Neighbour)> PlanWithNotes()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var neighbour = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman Piet", role = "network" })).CreatedId();
        await plan.Agreed();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/check-ins", new { clientId = "n1", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "partly", note = Notes[0] })).EnsureSuccessStatusCode();
        (await server.As("piet", $"member:{neighbour}").Post($"/api/plans/{plan.PlanId}/concerns", new { clientId = "n2", memberId = neighbour, text = Notes[1], severity = "low" })).EnsureSuccessStatusCode();
        (await plan.Member.Post($"/api/plans/{plan.PlanId}/ratings", new { clientId = "n3", memberId = plan.MemberId, score = 7, note = Notes[2] })).EnsureSuccessStatusCode();
        return (plan, neighbour);
    }

    private static async Task<string> Body(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task a_member_reads_their_plan_without_anyones_notes_and_cannot_reach_the_history_or_the_case_file()
    {
        var (plan, neighbour) = await PlanWithNotes();
        var piet = server.As("piet", $"member:{neighbour}");

        foreach (var read in new[] { $"/api/plans/{plan.PlanId}", "/api/notifications" })
        {
            var body = await Body(await piet.GetAsync(read));
            foreach (var note in Notes) body.ShouldNotContain(note, Case.Sensitive);
        }
        // The member's own data export holds their own words, and nobody else's.
        var own = await Body(await piet.GetAsync($"/api/plans/{plan.PlanId}/members/{neighbour}/export"));
        own.ShouldContain(Notes[1], Case.Sensitive);
        own.ShouldNotContain(Notes[0], Case.Sensitive);
        (await piet.GetAsync($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        foreach (var read in new[] { "history", "export", "export?format=html", "diff?from=1&to=8" })
            (await piet.GetAsync($"/api/plans/{plan.PlanId}/{read}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Someone who left the network can still ask for their data, and it says that they left and why.
        var leave = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{plan.PlanId}/members/{neighbour}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { reason = "Verhuisd" }),
        };
        (await plan.Professional.SendAsync(leave)).EnsureSuccessStatusCode();
        var afterLeaving = await (await piet.GetAsync($"/api/plans/{plan.PlanId}/members/{neighbour}/export")).Json();
        afterLeaving.GetProperty("removed").GetProperty("reason").GetString().ShouldBe("Verhuisd");
        afterLeaving.GetProperty("concerns")[0].GetProperty("text").GetString().ShouldBe(Notes[1]);
    }

    [Fact]
    public async Task an_auditor_sees_that_a_note_was_written_but_not_what_it_says()
    {
        var (plan, _) = await PlanWithNotes();
        var auditor = server.As("auditor-1", "auditor", language: "nl");

        // Raw JSON on purpose: what is checked is that the words are withheld in the event data as the contract writes it.
        var history = await (await auditor.GetAsync($"/api/plans/{plan.PlanId}/history")).Json();
        var checkIn = history.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "check-in-logged");
        checkIn.GetProperty("data").GetProperty("note").GetString().ShouldBe(Withheld);
        checkIn.GetProperty("data").GetProperty("outcome").GetString().ShouldBe("partly");
        var concern = history.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "concern-raised");
        concern.GetProperty("data").GetProperty("text").GetString().ShouldBe(Withheld);
        concern.GetProperty("description").GetString().ShouldBe($"Zorgmelding (laag): {Withheld}");
        history.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "safety-rated")
            .GetProperty("data").GetProperty("note").GetString().ShouldBe(Withheld);

        foreach (var read in new[] { "history", "export", "export?format=html", "diff?from=1&to=8", "" })
        {
            var body = await Body(await auditor.GetAsync($"/api/plans/{plan.PlanId}/{read}".TrimEnd('/')));
            foreach (var note in Notes) body.ShouldNotContain(note, Case.Sensitive);
        }
        (await auditor.GetAsync($"/api/plans/{plan.PlanId}/members/{plan.MemberId}/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task professionals_read_every_note()
    {
        var (plan, _) = await PlanWithNotes();

        var history = await Body(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/history"));
        var caseFile = await Body(await plan.Professional.GetAsync($"/api/plans/{plan.PlanId}/export"));
        foreach (var note in Notes) history.ShouldContain(note, Case.Sensitive);
        caseFile.ShouldContain(Notes[1], Case.Sensitive); // the concern is in the timeline's description
        history.ShouldNotContain(Withheld, Case.Sensitive);
    }
}
