using System.Net;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyPlan.Audit;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// NEN 7513 asks for the result of every access: a read that throws (the server answers 500) showed nothing and is in the
/// access log as refused with status 500, never as allowed. The access-log middleware of the running server, with the
/// server's store, given a read endpoint whose handler throws.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_read_of_case_data_fails(ServerFixture server)
{
    [Fact]
    public async Task the_access_log_says_refused_with_status_500_and_the_exception_still_reaches_the_error_handler()
    {
        var user = $"reader-{Guid.NewGuid():N}";
        var http = new DefaultHttpContext { RequestServices = server.Factory.Services };
        http.Request.Method = "GET";
        http.Request.Path = "/api/plans/broken";
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Role, "professional")], "test", ClaimTypes.NameIdentifier, ClaimTypes.Role));
        http.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new CaseDataReadAttribute()), "broken read"));
        var middleware = new AccessLogMiddleware(_ => throw new InvalidOperationException("the read failed"));

        await Should.ThrowAsync<InvalidOperationException>(() =>
            middleware.InvokeAsync(http, server.Store, server.Factory.Services.GetRequiredService<TimeProvider>(), NullLoggerFactory.Instance));

        await using var session = server.Store.QuerySession();
        var entry = (await session.Query<AccessLogEntry>().Where(e => e.UserId == user).ToListAsync()).ShouldHaveSingleItem();
        (entry.Result, entry.Status).ShouldBe(("refused", (int)HttpStatusCode.InternalServerError));
    }
}
