using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Every endpoint refuses anonymous callers (401) and roles it is not for (403), and changes nothing when it does.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_someone_calls_without_the_right_role(ServerFixture server)
{
    private sealed record Call(string Name, HttpMethod Method, string Url, object? Body, string[] Refused);

    [Fact]
    public async Task each_endpoint_refuses_anonymous_callers_and_the_wrong_roles()
    {
        var plan = await new PlanBuilder(server).Drafted();
        await plan.WithBottomLine(new { kind = "any-breach", agreementId = plan.AgreementId });
        await plan.Agreed();
        (await plan.CheckIn("not-kept")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var escalation = (await (await plan.Professional.GetAsync("/api/escalations")).Json())[0].GetProperty("id").GetGuid();
        var otherPlan = await new PlanBuilder(server).Drafted();

        var p = plan.PlanId;
        var m = plan.MemberId;
        const string professional = "professional", auditor = "auditor", admin = "admin", member = "member", otherMember = "other-member";
        Call[] calls =
        [
            new("draft plan", HttpMethod.Post, "/api/plans", new { title = "t", family = "f", monitorId = "x" }, [auditor, admin, member]),
            new("list plans", HttpMethod.Get, "/api/plans", null, [admin, member]),
            new("plan status", HttpMethod.Get, $"/api/plans/{p}", null, [admin, otherMember]),
            new("add member", HttpMethod.Post, $"/api/plans/{p}/members", new { name = "n", role = "parent" }, [auditor, admin, member]),
            new("remove member", HttpMethod.Delete, $"/api/plans/{p}/members/{m}", new { reason = "r" }, [auditor, admin, member]),
            new("set goal", HttpMethod.Post, $"/api/plans/{p}/goals", new { danger = "d", goal = "g" }, [auditor, admin, member]),
            new("make agreement", HttpMethod.Post, $"/api/plans/{p}/agreements", new { text = "t", responsibleMemberId = m, schedule = new { daily = "18:00" } }, [auditor, admin, member]),
            new("withdraw agreement", HttpMethod.Delete, $"/api/plans/{p}/agreements/{plan.AgreementId}", new { reason = "r" }, [auditor, admin, member]),
            new("set bottom line", HttpMethod.Post, $"/api/plans/{p}/bottom-lines", new { text = "t", rule = new { kind = "concern", minSeverity = "high" } }, [auditor, admin, member]),
            new("agree", HttpMethod.Post, $"/api/plans/{p}/agree", new { evaluationDue = "2027-03-01" }, [auditor, admin, member]),
            new("evaluate", HttpMethod.Post, $"/api/plans/{p}/evaluations", new { outcome = "continue", notes = "n" }, [auditor, admin, member]),
            new("check in", HttpMethod.Post, $"/api/plans/{p}/check-ins", new { clientId = "auth-c", agreementId = plan.AgreementId, memberId = m, outcome = "kept" }, [auditor, admin, otherMember]),
            new("concern", HttpMethod.Post, $"/api/plans/{p}/concerns", new { clientId = "auth-k", memberId = m, text = "t", severity = "low" }, [auditor, admin, otherMember]),
            new("rating", HttpMethod.Post, $"/api/plans/{p}/ratings", new { clientId = "auth-r", memberId = m, score = 5 }, [auditor, admin, otherMember]),
            new("history", HttpMethod.Get, $"/api/plans/{p}/history", null, [admin, member]),
            new("deadlines", HttpMethod.Get, $"/api/plans/{p}/deadlines", null, [admin, member]),
            new("verify", HttpMethod.Get, $"/api/plans/{p}/verify", null, [admin, member]),
            new("diff", HttpMethod.Get, $"/api/plans/{p}/diff?from=1&to=2", null, [admin, member]),
            new("access log", HttpMethod.Get, $"/api/plans/{p}/access-log", null, [professional, admin, member]),
            new("case file", HttpMethod.Get, $"/api/plans/{p}/export", null, [admin, member]),
            new("personal data", HttpMethod.Get, $"/api/plans/{p}/members/{m}/export", null, [auditor, admin, otherMember]),
            new("notifications", HttpMethod.Get, "/api/notifications", null, []),
            new("issue personal link", HttpMethod.Post, $"/api/plans/{p}/members/{m}/links", new { }, [auditor, admin, member]),
            new("list personal links", HttpMethod.Get, $"/api/plans/{p}/members/{m}/links", null, [admin, member]),
            new("revoke personal link", HttpMethod.Delete, $"/api/plans/{p}/members/{m}/links/{Guid.NewGuid()}", new { reason = "r" }, [auditor, admin, member]),
            new("escalations", HttpMethod.Get, "/api/escalations", null, [auditor, admin, member]),
            new("acknowledge", HttpMethod.Post, $"/api/escalations/{escalation}/acknowledge", new { }, [auditor, admin, member]),
            new("resolve", HttpMethod.Post, $"/api/escalations/{escalation}/resolve", new { note = "n" }, [auditor, admin, member]),
            new("put user", HttpMethod.Put, "/api/users/someone", new { name = "n", email = "n@example.org", language = "nl", roles = new[] { "professional" } }, [professional, auditor, member]),
            new("get user", HttpMethod.Get, "/api/users/someone", null, [professional, auditor, member]),
        ];

        var roles = new Dictionary<string, (string User, string Roles)>
        {
            [professional] = ("someone-else", "professional"),
            [auditor] = ("auditor-1", "auditor"),
            [admin] = ("admin-1", "admin"),
            [member] = ("oma", $"member:{m}"),
            [otherMember] = ("stranger", $"member:{otherPlan.MemberId}"),
        };

        var eventsBefore = await server.TotalEvents();
        var failures = new List<string>();
        foreach (var call in calls)
        {
            var anonymous = await Send(server.As(null), call);
            if (anonymous != HttpStatusCode.Unauthorized) failures.Add($"{call.Name} anonymous: {anonymous}");
            foreach (var role in call.Refused)
            {
                var (user, roleList) = roles[role];
                var status = await Send(server.As(user, roleList), call);
                if (status != HttpStatusCode.Forbidden) failures.Add($"{call.Name} as {role}: {status}");
            }
        }

        failures.ShouldBeEmpty();
        (await server.TotalEvents()).ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task a_member_reports_only_as_themselves_and_a_professional_may_report_for_them()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var second = await (await plan.Professional.Post($"/api/plans/{plan.PlanId}/members", new { name = "Buurman Kees", role = "network" })).CreatedId();
        await plan.Agreed();

        var asOma = await plan.Member.Post($"/api/plans/{plan.PlanId}/check-ins",
            new { clientId = "x1", agreementId = plan.AgreementId, memberId = second, outcome = "kept" });
        asOma.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var byPhone = await plan.Professional.Post($"/api/plans/{plan.PlanId}/check-ins",
            new { clientId = "x2", agreementId = plan.AgreementId, memberId = second, outcome = "kept" });
        byPhone.StatusCode.ShouldBe(HttpStatusCode.Created);

        var memberView = await (await plan.Member.GetAsync($"/api/plans/{plan.PlanId}")).Json();
        memberView.GetProperty("members").EnumerateArray().ShouldAllBe(x => x.GetProperty("email").ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, Call call)
    {
        var request = new HttpRequestMessage(call.Method, call.Url);
        if (call.Body is not null) request.Content = JsonContent.Create(call.Body);
        return (await client.SendAsync(request)).StatusCode;
    }
}
