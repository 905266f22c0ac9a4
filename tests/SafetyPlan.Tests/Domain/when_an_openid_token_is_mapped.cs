using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using SafetyPlan.Auth;

namespace SafetyPlan.Tests.Domain;

/// <summary>A provider's token becomes exactly the claims every other sign-in mode gives: user id, roles, organisation.</summary>
public sealed class when_an_openid_token_is_mapped
{
    private static OidcSignIn.Settings Settings(params (string Key, string Value)[] extra) => OidcSignIn.Settings.From(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Authority"] = "https://login.example/", ["Auth:Audience"] = "safetyplan" }
            .Concat(extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)))).Build());

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "jwt"));

    [Fact]
    public void the_subject_roles_and_organisation_become_the_callers()
    {
        var principal = OidcSignIn.MapClaims(
            Token(("sub", "anna"), ("roles", "professional"), ("roles", "auditor"), ("organisation", "jeugdzorg-noord")), Settings())!;
        var caller = Caller.From(principal, "nl");
        caller.UserId.ShouldBe("anna");
        caller.Roles.ShouldBe(new[] { "auditor", "professional" }, ignoreOrder: true);
        caller.Organisation.ShouldBe("jeugdzorg-noord");
        principal.IsInRole("professional").ShouldBeTrue();
    }

    [Fact]
    public void the_role_and_organisation_claims_are_configurable_and_a_space_separated_list_counts()
    {
        var principal = OidcSignIn.MapClaims(Token(("sub", "bart"), ("groups", "admin auditor"), ("roles", "professional"), ("org", "veilig-thuis")),
            Settings(("Auth:RoleClaim", "groups"), ("Auth:OrganisationClaim", "org")))!;
        var caller = Caller.From(principal, "en");
        caller.Roles.ShouldBe(new[] { "admin", "auditor" }, ignoreOrder: true);
        caller.Organisation.ShouldBe("veilig-thuis");
    }

    [Fact]
    public void the_installation_operator_role_comes_from_the_provider_too()
    {
        var caller = Caller.From(OidcSignIn.MapClaims(Token(("sub", "olga"), ("roles", "admin operator"), ("organisation", "default")), Settings())!, "nl");
        caller.Roles.ShouldBe(new[] { "admin", "operator" }, ignoreOrder: true);
    }

    [Fact]
    public void roles_safetyplan_does_not_know_and_member_roles_are_dropped()
    {
        var caller = Caller.From(OidcSignIn.MapClaims(Token(("sub", "x"), ("roles", $"member:{Guid.NewGuid()}"), ("roles", "superuser")), Settings())!, "en");
        caller.Roles.ShouldBeEmpty();
        caller.IsMember.ShouldBeFalse();
    }

    [Fact]
    public void a_token_without_an_organisation_is_refused()
    {
        OidcSignIn.Refusal(Token(("sub", "x"), ("roles", "professional")), Settings())!.ShouldContain("organisation");
        OidcSignIn.Refusal(Token(("sub", "x"), ("organisation", "jeugdzorg-noord")), Settings()).ShouldBeNull();
    }

    [Theory]
    [InlineData("amr", "mfa", true)]
    [InlineData("amr", "otp", true)]
    [InlineData("amr", "hwk", true)]
    [InlineData("amr", "pwd", false)]
    [InlineData("acr", "http://eidas.europa.eu/LoA/substantial", true)]
    [InlineData("acr", "http://eidas.europa.eu/LoA/low", false)]
    [InlineData("acr", "1", false)]
    public void with_require_mfa_a_token_must_show_a_second_factor(string claim, string value, bool accepted)
    {
        var token = Token(("sub", "x"), ("organisation", "o"), (claim, value));
        (OidcSignIn.Refusal(token, Settings(("Auth:RequireMfa", "true"))) is null).ShouldBe(accepted);
        OidcSignIn.Refusal(token, Settings()).ShouldBeNull(); // off by default
    }

    [Fact]
    public void a_token_without_a_subject_signs_nobody_in() =>
        OidcSignIn.MapClaims(Token(("roles", "professional")), Settings()).ShouldBeNull();

    [Fact]
    public void authority_and_audience_are_required_and_https_metadata_is_the_default()
    {
        Should.Throw<InvalidOperationException>(() => OidcSignIn.Settings.From(new ConfigurationBuilder().Build())).Message.ShouldContain("Auth:Authority");
        var settings = Settings();
        settings.RequireHttpsMetadata.ShouldBeTrue();
        settings.ClientId.ShouldBe("safetyplan");
        settings.RoleClaim.ShouldBe("roles");
        settings.OrganisationClaim.ShouldBe("organisation");
    }

    [Theory]
    [InlineData("/member", "/member")]
    [InlineData("/plans?status=red", "/plans?status=red")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void after_sign_in_the_browser_returns_only_to_a_page_of_this_server(string? returnUrl, string expected) =>
        OidcSignIn.LocalOnly(returnUrl).ShouldBe(expected);
}
