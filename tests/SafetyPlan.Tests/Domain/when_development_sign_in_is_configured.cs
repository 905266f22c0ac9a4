using Microsoft.AspNetCore.Http;
using SafetyPlan.Auth;

namespace SafetyPlan.Tests.Domain;

/// <summary>Which bound addresses and which Host headers development sign-in accepts (<see cref="LoopbackOnly"/>).</summary>
public sealed class when_development_sign_in_is_configured
{
    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("https://localhost:5001")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://127.0.0.2:8080")]
    public void it_runs_on_loopback(string address) => LoopbackOnly.NotLoopback([address]).ShouldBeEmpty();

    [Theory]
    [InlineData("http://[::]:8080")]     // ASPNETCORE_HTTP_PORTS=8080, the container default
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://+:8080")]
    [InlineData("http://*:80")]
    [InlineData("http://192.168.1.10:5000")]
    [InlineData("http://[::ffff:10.0.0.1]:5000")]
    public void it_refuses_any_other_address(string address) => LoopbackOnly.NotLoopback(["http://127.0.0.1:5000", address]).ShouldBe([address]);

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("attacker.example", false)]
    [InlineData("localhost.attacker.example", false)]
    [InlineData("10.0.0.5:5000", false)]
    [InlineData("", false)]
    public void a_request_counts_only_when_its_host_is_a_loopback_name(string host, bool loopback) =>
        LoopbackOnly.IsLoopbackHost(new HostString(host)).ShouldBe(loopback);
}
