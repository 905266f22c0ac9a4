using System.Net;
using System.Net.Http.Json;
using SafetyPlan.Tests.Infrastructure;
using SafetyPlan.Web;

namespace SafetyPlan.Tests.Api;

/// <summary>
/// Server-side request forgery (ASVS 5.2.6): an organisation's admin chooses its webhook's address,
/// so the server sends only to public internet addresses there, judged on the address it connects to
/// after DNS, following no redirect; loopback only with development sign-in (Web/OutboundAddresses.cs).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class when_a_user_chooses_where_the_server_sends(ServerFixture server)
{
    [Theory]
    [InlineData("10.1.2.3"), InlineData("172.16.0.1"), InlineData("172.31.255.255"), InlineData("192.168.1.10"), InlineData("169.254.169.254")]
    [InlineData("100.64.0.1"), InlineData("0.0.0.0"), InlineData("224.0.0.1"), InlineData("::ffff:10.0.0.1"), InlineData("fd00::1"), InlineData("fe80::1"), InlineData("::")]
    public void private_link_local_and_unspecified_addresses_are_forbidden(string address) =>
        OutboundAddresses.IsForbidden(IPAddress.Parse(address), allowLoopback: true).ShouldBeTrue(address);

    [Theory]
    [InlineData("8.8.8.8"), InlineData("172.32.0.1"), InlineData("100.128.0.1"), InlineData("2001:4860:4860::8888")]
    public void public_addresses_are_allowed(string address) =>
        OutboundAddresses.IsForbidden(IPAddress.Parse(address), allowLoopback: false).ShouldBeFalse(address);

    [Fact]
    public void loopback_only_where_development_sign_in_allows_it()
    {
        OutboundAddresses.IsForbidden(IPAddress.Loopback, allowLoopback: false).ShouldBeTrue();
        OutboundAddresses.IsForbidden(IPAddress.IPv6Loopback, allowLoopback: false).ShouldBeTrue();
        OutboundAddresses.IsForbidden(IPAddress.Loopback, allowLoopback: true).ShouldBeFalse();
    }

    [Fact]
    public async Task a_name_that_resolves_to_a_forbidden_address_is_refused_when_connecting_and_nothing_arrives()
    {
        using var sink = new WebhookSink();
        var byName = $"http://localhost:{sink.Port}/safetyplan";

        using (var strict = new HttpClient(OutboundAddresses.Handler(allowLoopback: false)))
            await Should.ThrowAsync<HttpRequestException>(() => strict.PostAsync(byName, JsonContent.Create(new { a = 1 })));
        await Task.Delay(300);
        sink.Requests.ShouldBeEmpty();

        using var development = new HttpClient(OutboundAddresses.Handler(allowLoopback: true));
        (await development.PostAsync(sink.Url, JsonContent.Create(new { a = 1 }))).IsSuccessStatusCode.ShouldBeTrue(); // the sink answers its literal address only
        sink.Requests.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data"), InlineData("https://10.0.0.5/hook"), InlineData("https://[fd00::5]/hook"), InlineData("http://192.168.1.1/hook")]
    public async Task an_admin_cannot_point_the_webhook_at_an_internal_address(string url)
    {
        var organisation = $"ssrf-{Guid.NewGuid():N}";
        var admin = server.As("admin", "admin");
        admin.DefaultRequestHeaders.Add("X-Organisation", organisation);
        var answer = await admin.PutAsJsonAsync($"/api/organisations/{organisation}", new { webhook = new { url, secret = new string('s', 32) } });
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await answer.Json()).GetProperty("errors").TryGetProperty("webhook.url", out _).ShouldBeTrue();
    }
}
