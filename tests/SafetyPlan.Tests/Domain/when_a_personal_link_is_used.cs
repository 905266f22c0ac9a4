using Microsoft.Extensions.Configuration;
using SafetyPlan.Auth;
using SafetyPlan.Decisions;
using SafetyPlan.PersonalLinks;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>The pure rules of a personal link: when it signs a member in, when it is the same sign-in, and when it no longer counts.</summary>
public sealed class when_a_personal_link_is_used
{
    private static readonly Guid LinkId = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly LinkClaims Claims = new(LinkId, PlanId, Oma, "default", Monday.AddDays(30));

    private static Plan WithLink()
    {
        var plan = Active();
        var issued = IssuePersonalLink.Decide(plan, new IssuePersonalLink(PlanId, Oma, LinkId, TimeSpan.FromDays(30), "http://x", TheMonitor), Monday);
        issued.Accepted.ShouldBeTrue();
        return plan.With(issued.Events);
    }

    private static Decision<LinkClaims> Use(Plan plan, DateTimeOffset now, LinkClaims? claims = null) =>
        UsePersonalLink.Decide(plan, new UsePersonalLink(claims ?? Claims, OmaOnHerPhone), now);

    [Fact]
    public void issuing_records_the_expiry_from_the_clock_and_the_professional()
    {
        Given(ActivePlan())
            .When(plan => IssuePersonalLink.Decide(plan, new IssuePersonalLink(PlanId, Oma, LinkId, TimeSpan.FromDays(7), "http://x", TheMonitor), Monday))
            .Then(new PersonalLinkIssued(LinkId, Oma, IssuedBy: "anna", ExpiresAt: Monday.AddDays(7), Monday))
            .Decision.Result.ShouldBe(new LinkClaims(LinkId, PlanId, Oma, "default", Monday.AddDays(7)));
    }

    [Fact]
    public void a_link_for_someone_outside_the_network_is_not_issued()
    {
        Given(ActivePlan())
            .When(plan => IssuePersonalLink.Decide(plan, new IssuePersonalLink(PlanId, Guid.NewGuid(), LinkId, TimeSpan.FromDays(7), "http://x", TheMonitor), Monday))
            .ThenRejected(RejectionKind.NotFound);
    }

    [Fact]
    public void the_first_use_is_an_event_and_a_double_click_is_the_same_sign_in()
    {
        var plan = Given(WithLink())
            .When(p => Use(p, Monday.AddHours(1)))
            .Then(new PersonalLinkUsed(LinkId, Oma, Monday.AddHours(1)))
            .AndThePlan();

        Given(plan)
            .When(p => Use(p, Monday.AddHours(1).AddSeconds(1)))
            .Then() // accepted, and nothing appended
            .Decision.Repeated.ShouldBeTrue();

        Use(plan, Monday.AddDays(1)).Events.ShouldHaveSingleItem().ShouldBeOfType<PersonalLinkUsed>();
    }

    [Fact]
    public void a_revoked_link_an_expired_link_and_a_removed_member_are_refused()
    {
        var revoked = WithLink();
        revoked.With(RevokePersonalLink.Decide(revoked, new RevokePersonalLink(PlanId, Oma, LinkId, "Telefoon kwijt", TheMonitor), Monday).Events);
        Use(revoked, Monday.AddHours(1)).Rejection!.Detail.En.ShouldContain("revoked");

        Use(WithLink(), Monday.AddDays(30)).Rejection!.Detail.En.ShouldContain("expired");

        var removed = WithLink();
        removed.With([new AgreementWithdrawn(PickUp, "Oma stopt", Monday), new MemberRemoved(Oma, "Verhuisd", Monday)]);
        Use(removed, Monday.AddHours(1)).Rejection!.Detail.En.ShouldContain("no longer part");

        Use(WithLink(), Monday.AddHours(1), Claims with { LinkId = Guid.NewGuid() }).Rejection.ShouldBe(UsePersonalLink.NotValid);
        Use(WithLink(), Monday.AddHours(1), Claims with { MemberId = Guid.NewGuid() }).Rejection.ShouldBe(UsePersonalLink.NotValid);
    }

    [Fact]
    public void revoking_twice_appends_once()
    {
        var command = new RevokePersonalLink(PlanId, Oma, LinkId, "Telefoon kwijt", TheMonitor);
        var plan = Given(WithLink())
            .When(p => RevokePersonalLink.Decide(p, command, Monday))
            .Then(new PersonalLinkRevoked(LinkId, "anna", "Telefoon kwijt", Monday))
            .AndThePlan();

        var again = Given(plan).When(p => RevokePersonalLink.Decide(p, command, Monday.AddHours(1)));
        again.Decision.Repeated.ShouldBeTrue();
        again.Decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_token_reads_back_only_with_its_own_signature()
    {
        var tokens = Tokens(new byte[32]);
        var token = tokens.Sign(Claims with { Organisation = "jeugdzorg-noord" });
        tokens.Read(token).ShouldBe(Claims with { Organisation = "jeugdzorg-noord" });

        // One changed character in the payload, a token signed with another key, and rubbish: none reads.
        var tampered = token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..];
        tokens.Read(tampered).ShouldBeNull();
        Tokens(Enumerable.Repeat((byte)7, 32).ToArray()).Read(token).ShouldBeNull();
        tokens.Read("not-a-token").ShouldBeNull();
        tokens.Read("a.b.c").ShouldBeNull();
        tokens.Read("").ShouldBeNull();
    }

    [Fact]
    public void a_configured_key_shorter_than_32_bytes_is_refused_with_a_clear_message() =>
        Should.Throw<InvalidOperationException>(() => Tokens(new byte[16]).Sign(Claims)).Message.ShouldContain("Auth:LinkSigningKey");

    private static LinkTokens Tokens(byte[] key) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:LinkSigningKey"] = Convert.ToBase64String(key) }).Build(),
        keys: null!); // with a configured key the database's key store is never asked
}
