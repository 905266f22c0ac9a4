using System.Net;
using MimeKit;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Watchers hear first (../shared/domain.md, "The network in the loop"): when an occurrence is missed or reported not
/// kept, each watcher still in the network (not the responsible member) gets one agreement-slipped notification, in the
/// inbox and by e-mail, once per occurrence, whatever the bottom lines say (this plan has none).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_agreement_slips(ServerFixture server)
{
    private const string AgreementText = "Vader brengt Noor om half negen naar school";

    private sealed record Stage(HttpClient Professional, Guid PlanId, Guid AgreementId, Guid Vader, Guid Oma, Guid Buurvrouw,
        string VaderEmail, string OmaEmail, string BuurvrouwEmail, string GoneEmail);

    /// <summary>At 12:00 a plan whose father is responsible for a daily 18:00 (grace PT1H), watched by oma (nl), the neighbour (en), himself, and a member who then left.</summary>
    private async Task<Stage> Staged()
    {
        await server.AdvanceToNext(new TimeOnly(12, 0));
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var professional = server.As(monitor, "professional");
        string Email(string who) => $"m-{Guid.NewGuid():N}@example.org";
        var (vaderEmail, omaEmail, buurvrouwEmail, goneEmail) = (Email("vader"), Email("oma"), Email("buurvrouw"), Email("weg"));
        var planId = await (await professional.Post("/api/plans", new { title = "Plan Noor", family = "De Boer", monitorId = monitor })).CreatedId();
        async Task<Guid> Member(string name, string email, string language) =>
            await (await professional.Post($"/api/plans/{planId}/members", new { name, role = "network", email, language, reminders = false })).CreatedId();
        var vader = await Member("Vader De Boer", vaderEmail, "nl");
        var oma = await Member("Oma Bep", omaEmail, "nl");
        var buurvrouw = await Member("Buurvrouw Sanne", buurvrouwEmail, "en");
        var gone = await Member("Tante Els", goneEmail, "nl");
        var agreementId = await (await professional.Post($"/api/plans/{planId}/agreements", new
        {
            text = AgreementText, responsibleMemberId = vader, schedule = new { daily = "18:00" }, grace = "PT1H",
            watchers = new[] { oma, buurvrouw, vader, gone },
        })).CreatedId();
        var removal = new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{planId}/members/{gone}") { Content = System.Net.Http.Json.JsonContent.Create(new { reason = "Verhuisd" }) };
        (await professional.SendAsync(removal)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await professional.Post($"/api/plans/{planId}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        return new Stage(professional, planId, agreementId, vader, oma, buurvrouw, vaderEmail, omaEmail, buurvrouwEmail, goneEmail);
    }

    private sealed record Queued(string Key, Guid? RecipientMemberId);

    private static async Task<List<Queued>> Slipped(Stage stage) =>
        (await stage.Professional.Get<List<HistoryEntry>>($"/api/plans/{stage.PlanId}/history"))
            .Where(e => e.Type == "notification-queued").Select(e => e.DataAs<Queued>())
            .Where(q => q.Key.StartsWith("agreementslipped:", StringComparison.Ordinal) && q.Key.EndsWith(":email", StringComparison.Ordinal)).ToList(); // each has its push twin

    /// <summary>Waits for this many messages, then a moment longer, so that a repeat that would come is there to be counted.</summary>
    private async Task<IReadOnlyList<MimeMessage>> Settled(string address, int count)
    {
        await server.Smtp.WaitFor(address, count);
        await Task.Delay(1000);
        return server.Smtp.MessagesTo(address);
    }

    private static string Everything(MimeMessage message) =>
        string.Join('\n', message.Headers.Select(h => $"{h.Field}: {h.Value}").Concat(message.BodyParts.OfType<TextPart>().Select(p => p.Text)));

    private async Task EachWatcherHeardOnce(Stage stage)
    {
        (await Slipped(stage)).Select(q => q.RecipientMemberId).Order().ShouldBe(new Guid?[] { stage.Oma, stage.Buurvrouw }.Order());
        var toOma = await Settled(stage.OmaEmail, 1);
        var toBuurvrouw = await Settled(stage.BuurvrouwEmail, 1);
        toOma.Select(m => m.Subject).ShouldBe(["Een afspraak in het veiligheidsplan is niet gelukt"]);
        toBuurvrouw.Select(m => m.Subject).ShouldBe(["An agreement of the safety plan did not work out"]);
        foreach (var message in toOma.Concat(toBuurvrouw))
        {
            message.TextBody!.ShouldContain("http://localhost/member");
            foreach (var secret in new[] { AgreementText, "Noor", "De Boer", "Vader", "Bep", "Sanne" })
                Everything(message).ShouldNotContain(secret, Shouldly.Case.Insensitive);
        }
        server.Smtp.MessagesTo(stage.VaderEmail).ShouldBeEmpty();
        server.Smtp.MessagesTo(stage.GoneEmail).ShouldBeEmpty();
        var inbox = await server.As("oma", $"member:{stage.Oma}").Get<List<InboxItem>>("/api/notifications");
        inbox.Where(i => i.PlanId == stage.PlanId).Select(i => i.Subject).ShouldBe(["agreement-slipped"]);
    }

    [Fact]
    public async Task a_missed_occurrence_reaches_each_watcher_once()
    {
        var stage = await Staged();
        await server.Advance("PT6H59M"); // 18:59: the window is still open
        (await Slipped(stage)).ShouldBeEmpty();
        await server.Advance("PT1M");    // 19:00: missed
        await server.Advance("PT0S");    // the sweep again
        await server.Advance("PT30M");

        await EachWatcherHeardOnce(stage);
        var page = await (await server.As("oma", $"member:{stage.Oma}", "nl").GetAsync("/member")).Content.ReadAsStringAsync();
        page.ShouldContain("Dit is niet gelukt of niet gemeld");
    }

    [Fact]
    public async Task a_not_kept_report_reaches_each_watcher_once_also_when_it_is_reported_again()
    {
        var stage = await Staged();
        await server.Advance("PT6H5M"); // 18:05
        var father = server.As("vader", $"member:{stage.Vader}");
        async Task Report(string outcome) =>
            (await father.Post($"/api/plans/{stage.PlanId}/check-ins", new
            {
                clientId = Guid.NewGuid().ToString(), agreementId = stage.AgreementId, memberId = stage.Vader, outcome,
            })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Report("not-kept");
        await Report("kept");
        await Report("not-kept");
        await server.Advance("PT2H"); // past the window: reported, so not missed

        await EachWatcherHeardOnce(stage);
    }
}
