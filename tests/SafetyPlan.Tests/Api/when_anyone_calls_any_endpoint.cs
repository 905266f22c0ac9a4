using System.Net.Http.Json;
using SafetyPlan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// The authorisation matrix: every route x every kind of caller x the caller's own plan, another plan of the same
/// organisation, and a plan of another organisation, with the answer each must get; and a refused request appends nothing.
/// Callers (columns): anonymous; the plan's monitor, backup and team colleague; a professional of the same organisation
/// with no part in the plan; a professional of another organisation (with the monitor's own user id: tenancy, not the
/// name, keeps them out); an auditor of the organisation and one of another; an admin; a network member of the plan and
/// one of another plan. "own" is plan P (organisation A), "other" plan Q (A, none of these callers' own), "org" plan R
/// (organisation B). 2xx codes are the success of the route; "-": not applicable. See docs/security.md.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_anyone_calls_any_endpoint(ServerFixture server)
{
    private static readonly string PushKey = Convert.ToBase64String(
        System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).PublicKey.ExportSubjectPublicKeyInfo()[^65..])
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static object PushSubscription(string caller) =>
        new { endpoint = $"https://push.example/{caller}", keys = new { p256dh = PushKey, auth = "AAAAAAAAAAAAAAAAAAAAAA" } };

    private static readonly string[] Callers = ["anon", "monitor", "backup", "team", "pro", "xpro", "aud", "xaud", "admin", "mem", "xmem"];

    private sealed record Route(string Name, string Method, string Url, Func<Scene, string, string, object?>? Body, string Own, string Other = "-", string Org = "-");

    // Columns:                                                                                   anon mon  bak  team pro  xpro aud  xaud adm  mem  xmem
    private static readonly Route[] Routes =
    [
        new("draft plan", "POST", "/api/plans", (s, _, _) => new { title = "t", family = "f", monitorId = "x" },
                                                                                           Own:  "401 201  201  201  201  201  403  403  403  403  403"),
        new("list plans", "GET", "/api/plans", null,                                       Own:  "401 200  200  200  200  200  200  200  403  403  403"),
        new("daily statistics", "GET", "/api/statistics/daily", null,                     Own:  "401 200  200  200  200  200  200  200  403  403  403"),
        new("organisation access log", "GET", "/api/access-log", null,                    Own:  "401 403  403  403  403  403  200  200  403  403  403"),
        new("plan status", "GET", "/api/plans/{plan}", null,                               Own:  "401 200  200  200  403  404  200  404  403  200  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  200",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  404  404"),
        // Members see the plan as it is now only (../shared/domain.md, "What a member sees").
        new("plan as of version", "GET", "/api/plans/{plan}?version=2", null,              Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  404  404"),
        new("history", "GET", "/api/plans/{plan}/history", null,                           Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("diff", "GET", "/api/plans/{plan}/diff?from=1&to=2", null,                     Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("deadlines", "GET", "/api/plans/{plan}/deadlines", null,                       Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("verify", "GET", "/api/plans/{plan}/verify", null,                             Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("case file", "GET", "/api/plans/{plan}/export", null,                          Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("case file html", "GET", "/api/plans/{plan}/export?format=html", null,         Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("access log", "GET", "/api/plans/{plan}/access-log", null,                     Own:  "401 403  403  403  403  403  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  403  200  404  403  403  403",
                                                                                           Org:  "401 403  403  403  403  403  404  200  403  403  403"),
        new("personal data", "GET", "/api/plans/{plan}/members/{member}/export", null,     Own:  "401 200  200  200  403  404  403  403  403  200  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  200",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  404  404"),
        new("add member", "POST", "/api/plans/{plan}/members", (s, _, _) => new { name = "n", role = "network" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        // A member sets only their own reminders (the "mem" of each plan is its member); a professional of the plan for any member.
        new("member reminders", "PUT", "/api/plans/{plan}/members/{member}/reminders", (s, _, _) => new { reminders = true },
                                                                                           Own:  "401 204  204  204  403  404  403  403  403  204  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  204",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  404  404"),
        new("remove member", "DELETE", "/api/plans/{plan}/members/{removable-member}", (s, _, _) => new { reason = "r" },
                                                                                           Own:  "401 204  204  204  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("set goal", "POST", "/api/plans/{plan}/goals", (s, _, _) => new { danger = "d", goal = "g" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("make agreement", "POST", "/api/plans/{plan}/agreements",
            (s, _, t) => new { text = "t", responsibleMemberId = s.Member[t], schedule = new { daily = "18:00" }, grace = "PT4H" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("withdraw agreement", "DELETE", "/api/plans/{plan}/agreements/{removable-agreement}", (s, _, _) => new { reason = "r" },
                                                                                           Own:  "401 204  204  204  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("set bottom line", "POST", "/api/plans/{plan}/bottom-lines",
            (s, _, _) => new { text = "t", rule = new { kind = "concern", minSeverity = "high" }, acknowledgeWithin = "PT4H" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("remove bottom line", "DELETE", "/api/plans/{plan}/bottom-lines/{removable-bottom-line}", (s, _, _) => new { reason = "r" },
                                                                                           Own:  "401 204  204  204  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("issue link", "POST", "/api/plans/{plan}/members/{member}/links", (s, _, _) => new { validFor = "P7D" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("list links", "GET", "/api/plans/{plan}/members/{member}/links", null,         Own:  "401 200  200  200  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        // Revoking twice is still 204 (and appends nothing the second time).
        new("revoke link", "DELETE", "/api/plans/{plan}/members/{member}/links/{link}", (s, _, _) => new { reason = "r" },
                                                                                           Own:  "401 204  204  204  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        // The plans are active: whoever gets past the authorisation meets "already agreed" (409).
        new("agree", "POST", "/api/plans/{plan}/agree", (s, _, _) => new { evaluationDue = s.EvaluationDue },
                                                                                           Own:  "401 409  409  409  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("evaluate", "POST", "/api/plans/{plan}/evaluations", (s, _, _) => new { outcome = "continue", notes = "n" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        // The plan's own monitor and backup again: a repeat (200, nothing appended), so the matrix's plans keep their people.
        // To the plan's own monitor and backup, so that the scene stays as it is: a handover that changes nothing, 409 once
        // the caller is let through (the rights are decided first: others get 403), and nothing is appended.
        new("handover", "POST", "/api/plans/{plan}/handover",
            (s, _, t) => new { toMonitorId = t == "own" ? "monitor" : t == "other" ? "q-monitor" : "monitor-b", toBackupId = t == "own" ? "backup" : null, note = "n" },
                                                                                           Own:  "401 409  409  409  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        // Each caller a day of its own (a day has one session; the same session again would answer 200): a day before today.
        new("conference session", "POST", "/api/plans/{plan}/conference-sessions",
            (s, c, t) => new { heldOn = DateOnly.Parse(s.EvaluationDue, System.Globalization.CultureInfo.InvariantCulture).AddDays(-60 - Array.IndexOf(Callers, c)),
                membersPresent = new[] { s.Member[t] }, professionalsPresent = new[] { c }, notes = "n" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("check in", "POST", "/api/plans/{plan}/check-ins",
            (s, _, t) => new { clientId = Guid.NewGuid().ToString(), agreementId = s.Agreement[t], memberId = s.Member[t], outcome = "kept" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  201  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  201",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  404  404"),
        new("concern", "POST", "/api/plans/{plan}/concerns",
            (s, _, t) => new { clientId = Guid.NewGuid().ToString(), memberId = s.Member[t], text = "t", severity = "low" },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  201  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  201",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  404  404"),
        new("rating", "POST", "/api/plans/{plan}/ratings",
            (s, _, t) => new { clientId = Guid.NewGuid().ToString(), memberId = s.Member[t], score = 6 },
                                                                                           Own:  "401 201  201  201  403  404  403  403  403  201  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  201",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  404  404"),
        // Case audits: opened by the organisation's auditors (or a team lead, not a column here); read by its two
        // participants (the plan's monitor and the auditor who opened it) and every auditor; written and signed by the two.
        // Opening it again answers the audit the scene opened (200).
        new("open case audit", "POST", "/api/plans/{plan}/case-audits", (s, _, t) => new { professionalId = s.Monitor[t] },
                                                                                           Own:  "401 403  403  403  403  403  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  403  200  404  403  403  403",
                                                                                           Org:  "401 403  403  403  403  403  404  200  403  403  403"),
        new("read case audit", "GET", "/api/plans/{plan}/case-audits/{audit}", null,       Own:  "401 200  403  403  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("write case audit", "PUT", "/api/plans/{plan}/case-audits/{audit}", (_, _, _) => CaseAuditText,
                                                                                           Own:  "401 200  403  403  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("sign case audit", "POST", "/api/plans/{plan}/case-audits/{audit}/sign", null, Own:  "401 200  403  403  403  404  200  404  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  200  404  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  404  200  403  403  403"),
        new("escalation inbox", "GET", "/api/escalations?state=open", null,                Own:  "401 200  200  200  200  200  403  403  403  403  403"),
        // Escalations: only the plan's monitor and backup respond (a team colleague reads the plan but does not take the alarm).
        new("acknowledge", "POST", "/api/escalations/{escalation}/acknowledge", (s, _, _) => new { note = "n" },
                                                                                           Own:  "401 200  200  403  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("resolve", "POST", "/api/escalations/{escalation}/resolve", (s, _, _) => new { note = "n" },
                                                                                           Own:  "401 200  200  403  403  404  403  403  403  403  403",
                                                                                           Other:"401 403  403  403  403  404  403  403  403  403  403",
                                                                                           Org:  "401 404  404  404  404  403  403  403  403  403  403"),
        new("notifications", "GET", "/api/notifications", null,                            Own:  "401 200  200  200  200  200  200  200  200  200  200"),
        // Web Push: the key is public; subscriptions are the signed-in person's own (members and professionals).
        new("push key", "GET", "/api/push/key", null,                                      Own:  "200 200  200  200  200  200  200  200  200  200  200"),
        new("push subscribe", "POST", "/api/me/push-subscriptions", (_, c, _) => PushSubscription(c),
                                                                                           Own:  "401 201  201  201  201  201  403  403  403  201  201"),
        new("push unsubscribe", "DELETE", "/api/me/push-subscriptions", (_, c, _) => new { endpoint = $"https://push.example/{c}" },
                                                                                           Own:  "401 204  204  204  204  204  403  403  403  204  204"),
        // Users and organisations: "own" is organisation A's, "org" organisation B's.
        new("put user", "PUT", "/api/users/new-colleague",
            (s, _, t) => new { name = "n", email = "n@example.org", language = "nl", roles = new[] { "professional" }, organisation = s.Organisation[t] },
                                                                                           Own:  "401 403  403  403  403  403  403  403  200  403  403",
                                                                                           Org:  "401 403  403  403  403  403  403  403  403  403  403"),
        new("get user", "GET", "/api/users/{user}", null,                                  Own:  "401 403  403  200  403  403  403  403  200  403  403",
                                                                                           Org:  "401 403  403  403  403  403  403  403  404  403  403"),
        new("put organisation", "PUT", "/api/organisations/{organisation}",
            (s, _, _) => new { name = "Jeugdzorg", teams = new[] { "noord" }, dutyUserId = "", webhook = new { url = "https://127.0.0.1:9/hook", secret = new string('s', 32) } },
                                                                                           Own:  "401 403  403  403  403  403  403  403  200  403  403",
                                                                                           Org:  "401 403  403  403  403  403  403  403  404  403  403"),
        new("get organisation", "GET", "/api/organisations/{organisation}", null,          Own:  "401 403  403  403  403  403  403  403  200  403  403",
                                                                                           Org:  "401 403  403  403  403  403  403  403  404  403  403"),
        new("delete user", "DELETE", "/api/users/leaving-colleague", null,                  Own:  "401 403  403  403  403  403  403  403  204  403  403",
                                                                                           Org:  "401 403  403  403  403  403  403  403  404  403  403"),
        new("delete webhook", "DELETE", "/api/organisations/{organisation}/webhook", null, Own:  "401 403  403  403  403  403  403  403  204  403  403",
                                                                                           Org:  "401 403  403  403  403  403  403  403  404  403  403"),
        new("dev clock", "POST", "/api/dev/clock", (s, _, _) => new { advance = "PT0S" },  Own:  "401 200  200  200  200  200  403  403  200  403  403"),
    ];

    private static readonly object CaseAuditText = new
    {
        answers = new Dictionary<string, object> { ["family-heard"] = new { score = 4 } }, reflection = "r", learningPoints = "l",
    };

    /// <summary>The plans, people and ids the matrix runs against; "own" P and "other" Q in organisation A, "org" R in B.</summary>
    private sealed class Scene
    {
        public Dictionary<string, string> Organisation { get; } = [];
        public Dictionary<string, Guid> Plan { get; } = [];
        public Dictionary<string, Guid> Member { get; } = [];
        public Dictionary<string, Guid> Agreement { get; } = [];
        public Dictionary<string, Guid> Escalation { get; } = [];
        public Dictionary<string, Guid> Link { get; } = [];
        /// <summary>Per plan its monitor, and the case audit its organisation's auditor opened with them.</summary>
        public Dictionary<string, string> Monitor { get; } = [];
        public Dictionary<string, Guid> Audit { get; } = [];
        public Dictionary<string, string> User { get; } = [];
        /// <summary>Per caller allowed to change P, a member, agreement and bottom line of their own to remove.</summary>
        public Dictionary<string, (Guid Member, Guid Agreement, Guid BottomLine)> Removable { get; } = [];
        public Dictionary<string, (string User, string Roles, string Organisation)> As { get; } = [];
        /// <summary>A valid evaluation date at the moment the scene was built.</summary>
        public string EvaluationDue { get; init; } = "";
    }

    private HttpClient Client(string? user, string? roles, string organisation)
    {
        var client = server.As(user, roles);
        client.DefaultRequestHeaders.Add("X-Organisation", organisation);
        return client;
    }

    private async Task<(Guid Plan, Guid Member, Guid Agreement, Guid Escalation)> ActivePlanWithEscalation(
        HttpClient monitor, string monitorId, string? backupId, string? teamId, Func<Guid, Guid, Task>? beforeAgreeing = null)
    {
        var plan = await (await monitor.Post("/api/plans", new { title = "Veiligheidsplan", family = "Gezin", monitorId, backupId, teamId })).CreatedId();
        var member = await (await monitor.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).CreatedId();
        var agreement = await (await monitor.Post($"/api/plans/{plan}/agreements", new
        {
            text = "Oma haalt op", responsibleMemberId = member, schedule = new { daily = "15:00" }, grace = "PT4H", reportFrom = "P1D",
        })).CreatedId();
        await (await monitor.Post($"/api/plans/{plan}/bottom-lines", new
        {
            text = "Niet opgehaald", rule = new { kind = "any-breach", agreementId = agreement }, acknowledgeWithin = "PT4H",
        })).CreatedId();
        if (beforeAgreeing is not null) await beforeAgreeing(plan, member);
        (await monitor.Post($"/api/plans/{plan}/agree", new { evaluationDue = server.EvaluationDue() })).EnsureSuccessStatusCode();
        await (await monitor.Post($"/api/plans/{plan}/check-ins", new
        {
            clientId = Guid.NewGuid().ToString(), agreementId = agreement, memberId = member, outcome = "not-kept",
        })).CreatedId();
        var escalations = await (await monitor.GetAsync("/api/escalations?state=open")).Json();
        var escalation = escalations.EnumerateArray().First(e => e.GetProperty("planId").GetGuid() == plan).GetProperty("id").GetGuid();
        return (plan, member, agreement, escalation);
    }

    private async Task<Scene> Stage()
    {
        var scene = new Scene { EvaluationDue = server.EvaluationDue() };
        var a = $"mx-a-{Guid.NewGuid():N}"[..16];
        var b = $"mx-b-{Guid.NewGuid():N}"[..16];
        (scene.Organisation["own"], scene.Organisation["org"]) = (a, b);
        const string team = "team-noord";

        var admin = Client("admin", "admin", a);
        (await admin.PutAsync("/api/users/colleague", JsonContent.Create(new
        {
            name = "Collega", email = "collega@example.org", language = "nl", roles = new[] { "professional" }, team,
        }))).EnsureSuccessStatusCode();
        (await Client("admin-b", "admin", b).PutAsync("/api/users/monitor-b", JsonContent.Create(new
        {
            name = "Regiehouder B", email = "b@example.org", language = "nl", roles = new[] { "professional" },
        }))).EnsureSuccessStatusCode();
        (scene.User["own"], scene.User["org"]) = ("colleague", "monitor-b");
        foreach (var (organisation, organisationAdmin) in new[] { (a, "admin"), (b, "admin-b") })
            (await Client(organisationAdmin, "admin", organisation).PutAsync("/api/users/leaving-colleague", JsonContent.Create(new
            {
                name = "Vertrekt", email = "weg@example.org", language = "nl", roles = new[] { "professional" },
            }))).EnsureSuccessStatusCode();

        var monitor = Client("monitor", "professional", a);
        var (p, pMember, pAgreement, pEscalation) = await ActivePlanWithEscalation(monitor, "monitor", "backup", team, async (plan, first) =>
        {
            foreach (var caller in new[] { "monitor", "backup", "team" })
            {
                var member = await (await monitor.Post($"/api/plans/{plan}/members", new { name = $"Weg {caller}", role = "network" })).CreatedId();
                var agreement = await (await monitor.Post($"/api/plans/{plan}/agreements", new
                {
                    text = "Vervalt", responsibleMemberId = first, schedule = new { daily = "18:00" }, grace = "PT4H",
                })).CreatedId();
                var bottomLine = await (await monitor.Post($"/api/plans/{plan}/bottom-lines", new
                {
                    text = "Vervalt", rule = new { kind = "silence", @for = "PT720H" }, acknowledgeWithin = "PT4H",
                })).CreatedId();
                scene.Removable[caller] = (member, agreement, bottomLine);
            }
        });
        var (q, qMember, qAgreement, qEscalation) = await ActivePlanWithEscalation(Client("q-monitor", "professional", a), "q-monitor", null, null);
        var (r, rMember, rAgreement, rEscalation) = await ActivePlanWithEscalation(Client("monitor-b", "professional", b), "monitor-b", null, null);
        (scene.Plan["own"], scene.Member["own"], scene.Agreement["own"], scene.Escalation["own"]) = (p, pMember, pAgreement, pEscalation);
        (scene.Plan["other"], scene.Member["other"], scene.Agreement["other"], scene.Escalation["other"]) = (q, qMember, qAgreement, qEscalation);
        (scene.Plan["org"], scene.Member["org"], scene.Agreement["org"], scene.Escalation["org"]) = (r, rMember, rAgreement, rEscalation);
        foreach (var (target, monitorId, organisation) in new[] { ("own", "monitor", a), ("other", "q-monitor", a), ("org", "monitor-b", b) })
            scene.Link[target] = await (await Client(monitorId, "professional", organisation)
                .Post($"/api/plans/{scene.Plan[target]}/members/{scene.Member[target]}/links", new { validFor = "P7D" })).CreatedId();

        foreach (var (target, monitorId, organisation, auditor) in new[] { ("own", "monitor", a, "auditor"), ("other", "q-monitor", a, "auditor"), ("org", "monitor-b", b, "auditor-b") })
        {
            var audits = Client(auditor, "auditor", organisation);
            scene.Monitor[target] = monitorId;
            scene.Audit[target] = await (await audits.Post($"/api/plans/{scene.Plan[target]}/case-audits", new { professionalId = monitorId })).CreatedId();
            (await audits.PutAsync($"/api/plans/{scene.Plan[target]}/case-audits/{scene.Audit[target]}", JsonContent.Create(CaseAuditText))).EnsureSuccessStatusCode();
        }

        scene.As["monitor"] = ("monitor", "professional", a);
        scene.As["backup"] = ("backup", "professional", a);
        scene.As["team"] = ("colleague", "professional", a);
        scene.As["pro"] = ("other-professional", "professional", a);
        scene.As["xpro"] = ("monitor", "professional", b);
        scene.As["aud"] = ("auditor", "auditor", a);
        scene.As["xaud"] = ("auditor-b", "auditor", b);
        scene.As["admin"] = ("admin", "admin", a);
        scene.As["mem"] = ("oma", $"member:{pMember}", a);
        scene.As["xmem"] = ("buurvrouw", $"member:{qMember}", a);
        return scene;
    }

    private static string Expand(Route route, Scene scene, string caller, string target)
    {
        var removable = scene.Removable.TryGetValue(caller, out var own) ? own : scene.Removable["monitor"];
        var onP = target == "own";
        return route.Url
            .Replace("{plan}", scene.Plan.GetValueOrDefault(target).ToString())
            .Replace("{member}", scene.Member.GetValueOrDefault(target).ToString())
            .Replace("{removable-member}", (onP ? removable.Member : scene.Member[target]).ToString())
            .Replace("{removable-agreement}", (onP ? removable.Agreement : scene.Agreement[target]).ToString())
            .Replace("{removable-bottom-line}", (onP ? removable.BottomLine : Guid.NewGuid()).ToString())
            .Replace("{escalation}", scene.Escalation.GetValueOrDefault(target).ToString())
            .Replace("{link}", scene.Link.GetValueOrDefault(target).ToString())
            .Replace("{audit}", scene.Audit.GetValueOrDefault(target).ToString())
            .Replace("{user}", scene.User.GetValueOrDefault(target))
            .Replace("{organisation}", scene.Organisation.GetValueOrDefault(target));
    }

    [Fact]
    public async Task every_caller_gets_the_answer_in_the_table_and_a_refused_request_appends_nothing()
    {
        var scene = await Stage();
        var mismatches = new List<string>();
        var calls = 0;
        foreach (var route in Routes)
        foreach (var (target, column) in new[] { ("own", route.Own), ("other", route.Other), ("org", route.Org) })
        {
            if (column == "-") continue;
            var expected = column.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(expected.Length == Callers.Length, $"{route.Name} {target}: {expected.Length} answers for {Callers.Length} callers");
            for (var i = 0; i < Callers.Length; i++)
            {
                var caller = Callers[i];
                var client = caller == "anon"
                    ? Client(null, null, scene.Organisation["own"])
                    : Client(scene.As[caller].User, scene.As[caller].Roles, scene.As[caller].Organisation);
                var request = new HttpRequestMessage(new HttpMethod(route.Method), Expand(route, scene, caller, target));
                if (route.Body is not null) request.Content = JsonContent.Create(route.Body(scene, caller, target), options: ServerFixture.Json);

                var refused = !expected[i].StartsWith('2');
                var before = refused ? await server.TotalEvents() : 0;
                var response = await client.SendAsync(request);
                calls++;
                var answer = ((int)response.StatusCode).ToString();
                if (answer != expected[i])
                    mismatches.Add($"{route.Name,-20} {target,-5} as {caller,-7}: expected {expected[i]}, got {answer} {Short(await response.Content.ReadAsStringAsync())}");
                else if (refused && await server.TotalEvents() != before)
                    mismatches.Add($"{route.Name,-20} {target,-5} as {caller,-7}: refused with {answer} but appended events");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {calls} answers differ from the table:\n" + string.Join('\n', mismatches));

        // Refused writes of documents left nothing either: organisation B got no user and no profile from A's admin.
        var adminOfB = Client("admin-b", "admin", scene.Organisation["org"]);
        (await adminOfB.GetAsync("/api/users/new-colleague")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await adminOfB.GetAsync($"/api/organisations/{scene.Organisation["org"]}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        // A's admin removed A's account of that name only.
        (await adminOfB.GetAsync("/api/users/leaving-colleague")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public void every_api_route_the_server_maps_has_a_row_in_the_table()
    {
        // A route added without a row would never be tried by anyone: the table is the list of who may call what.
        var mapped = server.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => (Method: method, e.RoutePattern)))
            .ToList();
        mapped.Count.ShouldBeGreaterThan(30);
        var missing = mapped
            .Where(m => !Routes.Any(r => r.Method == m.Method && Matches(m.RoutePattern, r.Url)))
            .Select(m => $"{m.Method} {m.RoutePattern.RawText}")
            .ToList();
        missing.ShouldBeEmpty("each of these routes needs a row in Routes, with the answer every kind of caller must get");
    }

    /// <summary>Whether a row's url (its {placeholders} or concrete values, without the query) is one of the pattern's.</summary>
    private static bool Matches(Microsoft.AspNetCore.Routing.Patterns.RoutePattern pattern, string url)
    {
        var segments = url.Split('?')[0].Trim('/').Split('/');
        return segments.Length == pattern.PathSegments.Count && pattern.PathSegments.Select((segment, i) =>
            segment.IsSimple && segment.Parts[0] is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal
                ? literal.Content == segments[i]
                : segment.Parts.Any(p => p.IsParameter)).All(ok => ok);
    }

    [Fact]
    public async Task a_professionals_list_holds_only_their_plans_and_an_auditors_every_plan_of_their_organisation()
    {
        var scene = await Stage();
        async Task<Guid[]> List(string caller)
        {
            var (user, roles, organisation) = scene.As[caller];
            var plans = await (await Client(user, roles, organisation).GetAsync("/api/plans")).Json();
            return plans.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToArray();
        }
        var (p, q, r) = (scene.Plan["own"], scene.Plan["other"], scene.Plan["org"]);

        foreach (var caller in new[] { "monitor", "backup", "team" })
        {
            var list = await List(caller);
            list.ShouldContain(p, caller);
            list.ShouldNotContain(q, caller);
            list.ShouldNotContain(r, caller);
        }
        (await List("pro")).ShouldBeEmpty();
        (await List("xpro")).ShouldBeEmpty(); // the monitor's user id, in another organisation
        (await List("aud")).ShouldBe([p, q], ignoreOrder: true);
        (await List("xaud")).ShouldBe([r]);
    }

    [Fact]
    public async Task a_member_reports_only_as_themselves_and_a_professional_may_report_for_them()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var second = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman Kees", role = "network" })).CreatedId();
        await plan.Agreed();

        var asOma = await plan.Member.Post($"/api/plans/{plan.PlanId}/check-ins",
            new { clientId = "x1", agreementId = plan.AgreementId, memberId = second, outcome = "kept" });
        asOma.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);

        var byPhone = await plan.Professional.Post($"/api/plans/{plan.PlanId}/check-ins",
            new { clientId = "x2", agreementId = plan.AgreementId, memberId = plan.MemberId, outcome = "kept" });
        byPhone.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        // ... but only for the agreement's responsible member or a reporter it names (domain.md, "Who reports on what").
        var forSomeoneElse = await plan.Professional.Post($"/api/plans/{plan.PlanId}/check-ins",
            new { clientId = "x3", agreementId = plan.AgreementId, memberId = second, outcome = "kept" });
        forSomeoneElse.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);

        var memberView = await (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}")).Json();
        memberView.GetProperty("members").EnumerateArray().ShouldAllBe(x => x.GetProperty("email").ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    private static string Short(string body) => body.Length <= 160 ? body : body[..160] + "...";
}
