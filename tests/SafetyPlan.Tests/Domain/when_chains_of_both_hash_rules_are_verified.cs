using SafetyPlan.Audit;
using SafetyPlan.Privacy;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// Hash rules, without a database: streams hashed under rule 1 (content only) stay verifiable next to rule 2 (content and
/// who appended it: organisation, user, roles, instant), and rule 2 breaks when any of those is changed.
/// </summary>
public sealed class when_chains_of_both_hash_rules_are_verified
{
    private static readonly Guid PlanId = Guid.NewGuid();
    private static readonly HashChain.Appender Anna = new("*DEFAULT*", "anna", "professional", "2027-01-04T08:00:00.0000000Z");

    /// <summary>Three events under rule 1 (appended before rule 2 existed), then three under rule 2.</summary>
    private static List<StoredLink> OldThenNew()
    {
        var links = new List<StoredLink>();
        var previous = HashChain.Genesis;
        for (var version = 1; version <= 6; version++)
        {
            var json = $$"""{"n":{{version}}}""";
            var link = version <= 3
                ? new StoredLink(version, version, "check_in_logged", json, null, null)
                : new StoredLink(version, version, "check_in_logged", json, null, null, HashChain.Rule2, Anna);
            previous = link.Link(previous, PlanId);
            links.Add(link with { Hash = previous });
        }
        return links;
    }

    [Fact]
    public void a_stream_hashed_under_rule_1_and_continued_under_rule_2_is_intact()
    {
        var links = OldThenNew();
        MaskedChain.Check(PlanId, links).Intact.ShouldBeTrue();
        // Rule 1 is exactly the rule of before: the old events' hashes are what HashChain.Link always gave.
        links[0].Hash.ShouldBe(HashChain.Link(HashChain.Genesis, PlanId, 1, "check_in_logged", """{"n":1}"""));
    }

    [Theory]
    [InlineData("organisation")]
    [InlineData("user")]
    [InlineData("roles")]
    [InlineData("at")]
    [InlineData("rule")]
    public void changing_who_appended_a_rule_2_event_breaks_the_chain_there(string what)
    {
        var links = OldThenNew();
        var who = links[4].Appender!;
        links[4] = what switch
        {
            "organisation" => links[4] with { Appender = who with { Organisation = "other" } },
            "user" => links[4] with { Appender = who with { UserId = "bart" } },
            "roles" => links[4] with { Appender = who with { Roles = "auditor" } },
            "at" => links[4] with { Appender = who with { At = "2027-01-05T08:00:00.0000000Z" } },
            _ => links[4] with { Rule = null }, // downgraded to rule 1 without recomputing
        };

        var check = MaskedChain.Check(PlanId, links);

        (check.Intact, check.FirstBrokenVersion).ShouldBe((false, 5));
    }
}
