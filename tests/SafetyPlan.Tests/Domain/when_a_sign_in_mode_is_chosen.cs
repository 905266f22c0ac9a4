using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafetyPlan.Auth;

namespace SafetyPlan.Tests.Domain;

/// <summary>Which schemes each Auth:Mode registers: the development headers never exist outside development mode.</summary>
public sealed class when_a_sign_in_mode_is_chosen
{
    private static async Task<string[]> Schemes(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddSafetyPlanAuth(configuration);
        await using var provider = services.BuildServiceProvider();
        return (await provider.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync()).Select(s => s.Name).Order().ToArray();
    }

    [Fact]
    public async Task oidc_registers_bearer_and_the_provider_and_no_header_scheme_and_may_listen_on_the_network()
    {
        var schemes = await Schemes(("Auth:Mode", "Oidc"), ("Auth:Authority", "https://login.example"), ("Auth:Audience", "safetyplan"), ("urls", "http://0.0.0.0:8080"));
        schemes.ShouldBe(new[] { AuthSchemes.Bearer, AuthSchemes.Cookie, OidcSignIn.Scheme, AuthSchemes.Default }.Order().ToArray());
    }

    [Fact]
    public async Task development_registers_the_header_scheme_and_no_bearer() =>
        (await Schemes()).ShouldBe(new[] { AuthSchemes.Cookie, DevelopmentAuthentication.Scheme, AuthSchemes.Default }.Order().ToArray());

    [Fact]
    public async Task with_a_database_the_mode_must_be_named_and_never_defaults_to_headers() =>
        (await Should.ThrowAsync<InvalidOperationException>(() => Schemes(("ConnectionStrings:Postgres", "Host=db")))).Message.ShouldContain("Auth:Mode");

    [Fact]
    public async Task with_a_database_development_may_be_chosen_explicitly() =>
        (await Schemes(("ConnectionStrings:Postgres", "Host=db"), ("Auth:Mode", "Development"))).ShouldContain(DevelopmentAuthentication.Scheme);

    [Fact]
    public async Task an_unknown_mode_refuses_to_start() =>
        (await Should.ThrowAsync<InvalidOperationException>(() => Schemes(("Auth:Mode", "Anonymous")))).Message.ShouldContain("'Development' or 'Oidc'");
}
