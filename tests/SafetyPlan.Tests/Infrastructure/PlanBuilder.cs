using System.Net.Http.Json;
using SafetyPlan.Tests.Contract;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>Drafts a plan through the HTTP contract, the way a professional would after a network conference.</summary>
public sealed class PlanBuilder(ServerFixture server)
{
    public string MonitorId { get; } = $"monitor-{Guid.NewGuid():N}";
    public string BackupId { get; } = $"backup-{Guid.NewGuid():N}";
    public HttpClient Professional => server.As(MonitorId, "professional");
    public Guid PlanId { get; private set; }
    public Guid MemberId { get; private set; }
    public Guid GoalId { get; private set; }
    public Guid AgreementId { get; private set; }

    public HttpClient Member => server.As("oma", $"member:{MemberId}");

    public async Task<PlanBuilder> Drafted()
    {
        var professional = Professional;
        PlanId = await (await professional.Post("/api/plans", new { title = "Veiligheidsplan Jansen", family = "Jansen", monitorId = MonitorId, backupId = BackupId })).CreatedId();
        MemberId = await (await professional.Post($"/api/plans/{PlanId}/members", new { name = "Oma Riet", role = "network", email = "riet@example.org" })).CreatedId();
        GoalId = await (await professional.Post($"/api/plans/{PlanId}/goals", new { danger = "De kinderen komen alleen thuis als moeder drinkt.", goal = "Er is elke dag na school een nuchtere volwassene thuis." })).CreatedId();
        AgreementId = await (await professional.Post($"/api/plans/{PlanId}/agreements", new
        {
            text = "Oma haalt de kinderen elke dag om 15:00 op.", responsibleMemberId = MemberId, goalId = GoalId,
            // Reports open a day ahead (reportFrom P1D), so one of the pick-up's windows is open at every moment and a test
            // need not place the clock in one; when_a_report_is_made_outside_its_window tests the default window of an hour.
            schedule = new { daily = "15:00" }, grace = "PT4H", reportFrom = "P1D",
        })).CreatedId();
        return this;
    }

    public async Task<Guid> WithBottomLine(object rule, string acknowledgeWithin = "PT4H") =>
        await (await Professional.Post($"/api/plans/{PlanId}/bottom-lines", new { text = "Bij het niet nakomen grijpen we in.", rule, acknowledgeWithin })).CreatedId();

    public async Task<PlanBuilder> Agreed()
    {
        var response = await Professional.Post($"/api/plans/{PlanId}/agree", new { evaluationDue = server.EvaluationDue() });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return this;
    }

    public Task<HttpResponseMessage> CheckIn(string outcome, string? clientId = null, HttpClient? as_ = null) =>
        (as_ ?? Member).Post($"/api/plans/{PlanId}/check-ins", new
        {
            clientId = clientId ?? Guid.NewGuid().ToString(), agreementId = AgreementId, memberId = MemberId, outcome,
        });

    /// <summary>The plan's status as the monitor reads it (<c>GET /api/plans/{planId}{query}</c>).</summary>
    public Task<PlanStatus> Status(string query = "") => Professional.Get<PlanStatus>($"/api/plans/{PlanId}{query}");

    /// <summary>The same answer as raw JSON, for a test that checks the contract's field names or that a field is absent.</summary>
    public async Task<System.Text.Json.JsonElement> StatusJson(string query = "") =>
        await (await Professional.GetAsync($"/api/plans/{PlanId}{query}")).Json();

    /// <summary>The plan's history as this client (an auditor, by default the monitor) reads it.</summary>
    public Task<List<HistoryEntry>> History(HttpClient? as_ = null, string query = "") =>
        (as_ ?? Professional).Get<List<HistoryEntry>>($"/api/plans/{PlanId}/history{query}");

    /// <summary>The monitor's escalations (<c>GET /api/escalations{query}</c>), of every plan.</summary>
    public Task<List<Escalation>> Escalations(string query = "") => Professional.Get<List<Escalation>>($"/api/escalations{query}");
}
