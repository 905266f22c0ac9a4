using SafetyPlan.Auth;

namespace SafetyPlan.Tests.Domain;

public sealed class when_development_sign_in_is_configured
{
    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000;https://localhost:5001")]
    [InlineData("http://[::1]:8080")]
    public void it_starts_on_loopback(string? urls) => DevelopmentAuthentication.EnsureLoopbackOnly(urls, allowOnNetwork: false);

    [Theory]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://+:8080")]
    [InlineData("http://*:80")]
    [InlineData("http://127.0.0.1:5000;http://192.168.1.10:5000")]
    public void it_refuses_any_other_address(string urls) =>
        Should.Throw<InvalidOperationException>(() => DevelopmentAuthentication.EnsureLoopbackOnly(urls, allowOnNetwork: false))
            .Message.ShouldContain("loopback");

    [Fact]
    public void a_container_published_on_loopback_may_allow_it_explicitly() =>
        DevelopmentAuthentication.EnsureLoopbackOnly("http://+:8080", allowOnNetwork: true);
}
