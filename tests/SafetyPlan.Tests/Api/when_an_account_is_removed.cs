using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Removing a professional's account (<c>DELETE /api/users/{userId}</c>) refuses every request of theirs at once, whatever
/// credential they still hold (docs/security.md, "Removed accounts"): here development headers on the fixture's server;
/// bearer tokens in <c>when_professionals_sign_in_with_openid_connect</c>, the pages' cookie there too.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_account_is_removed(ServerFixture server)
{
    [Fact]
    public async Task every_request_of_theirs_is_refused_at_once_and_logged_until_the_account_is_created_again()
    {
        var userId = $"leaving-{Guid.NewGuid():N}";
        var admin = server.As("admin-1", "admin");
        var account = JsonContent.Create(new { name = "Leaving", email = "leaving@jeugdzorg.test", language = "nl", roles = new[] { "professional" } });
        (await admin.PutAsync($"/api/users/{userId}", account)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var professional = server.As(userId, "professional");
        var plan = await (await professional.Post("/api/plans", new { title = "Plan", family = "F", monitorId = userId })).CreatedId();
        (await professional.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.DeleteAsync($"/api/users/{userId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var events = await server.TotalEvents();
        (await professional.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await professional.Post($"/api/plans/{plan}/members", new { name = "Oma", role = "network" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.TotalEvents()).ShouldBe(events);
        // The refused read is in the access log like any other refusal.
        var log = await (await server.As("auditor-1", "auditor").GetAsync($"/api/access-log?userId={userId}")).Json();
        log.EnumerateArray().ShouldContain(e => e.GetProperty("result").GetString() == "refused" && e.GetProperty("status").GetInt32() == 401);

        (await admin.PutAsync($"/api/users/{userId}", account)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await professional.GetAsync($"/api/plans/{plan}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
