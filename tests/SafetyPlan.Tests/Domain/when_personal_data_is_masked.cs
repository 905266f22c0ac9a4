using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyPlan.Audit;
using SafetyPlan.Plans;
using SafetyPlan.Privacy;

namespace SafetyPlan.Tests.Domain;

/// <summary>The retention period and the hash chain over masked events, without a database.</summary>
public sealed class when_personal_data_is_masked
{
    private static readonly Guid PlanId = Guid.NewGuid();
    private static readonly DateTimeOffset Closed = new(2024, 2, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void twenty_years_are_calendar_years_and_nothing_is_masked_a_moment_early()
    {
        RetentionPolicy.TryParse("P20Y", out var policy).ShouldBeTrue();
        policy.ExpiresAt(Closed).ShouldBe(new DateTimeOffset(2044, 2, 29, 10, 0, 0, TimeSpan.Zero));
        RetentionPolicy.TryParse("P1Y2M3DT4H", out var mixed).ShouldBeTrue();
        // 29 February + 1 year is 28 February 2025; + 2 months is 28 April; + 3 days and 4 hours.
        mixed.ExpiresAt(Closed).ShouldBe(new DateTimeOffset(2025, 5, 1, 14, 0, 0, TimeSpan.Zero));
        // The query's early bound never excludes a plan that is due.
        foreach (var now in new[] { policy.ExpiresAt(Closed), mixed.ExpiresAt(Closed) })
            (mixed.ExpiresAt(Closed) > now || Closed <= mixed.ClosedNoLaterThan(now)).ShouldBeTrue();
        policy.ClosedNoLaterThan(policy.ExpiresAt(Closed)).ShouldBeGreaterThanOrEqualTo(Closed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("20 years")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P0D")]
    [InlineData("-P1Y")]
    public void anything_but_a_positive_iso_duration_is_refused(string text) =>
        RetentionPolicy.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void a_missing_setting_keeps_twenty_years()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        RetentionPolicy.From(configuration).Describe().ShouldBe("Privacy:RetainAfterClose=P20Y");
    }

    [Fact]
    public void the_rules_mask_names_contact_details_and_free_text_and_keep_outcomes_and_times()
    {
        var member = new MemberAdded(Guid.NewGuid(), "Oma Riet", MemberRole.Network, "riet@example.org", "0612345678", Closed);
        var masked = (MemberAdded)PersonalDataMasking.Apply(member);
        masked.ShouldBe(member with { Name = PersonalDataMasking.Masked, Email = null, Phone = null });

        var checkIn = new CheckInLogged(Guid.NewGuid(), "c1", Guid.NewGuid(), member.MemberId, CheckInOutcome.Partly, "Te laat door de file", Closed, Closed);
        ((CheckInLogged)PersonalDataMasking.Apply(checkIn)).ShouldBe(checkIn with { Note = PersonalDataMasking.Masked });
        var silent = checkIn with { Note = null };
        PersonalDataMasking.Apply(silent).ShouldBe(silent);

        var breach = new BreachRecorded(Guid.NewGuid(), BreachKind.NotKept, Guid.NewGuid(), Guid.NewGuid(), null, Closed);
        PersonalDataMasking.Apply(breach).ShouldBeSameAs(breach);
    }

    // A stream of three events, as stored rows, then masked the way the retention pass does it.
    private static List<StoredLink> Stream(params string[] jsons)
    {
        var links = new List<StoredLink>();
        var previous = HashChain.Genesis;
        for (var i = 0; i < jsons.Length; i++)
        {
            previous = HashChain.Link(previous, PlanId, i + 1, "member_added", jsons[i]);
            links.Add(new StoredLink(100 + i, i + 1, "member_added", jsons[i], previous, null));
        }
        return links;
    }

    private static List<StoredLink> Masked(List<StoredLink> original, Func<int, string> maskedJson)
    {
        var links = new List<StoredLink>();
        var head = HashChain.Genesis;
        for (var i = 0; i < original.Count; i++)
        {
            var json = maskedJson(i);
            head = HashChain.Link(head, PlanId, i + 1, original[i].Type, json);
            links.Add(original[i] with { Json = json, Hash = null, MaskedHash = head });
        }
        var record = JsonSerializer.Serialize(new
        {
            policy = "Privacy:RetainAfterClose=P20Y", closedAt = Closed, maskedUpToVersion = original.Count,
            originalChainHead = original[^1].Hash, maskedChainHead = head, at = Closed.AddYears(20),
        });
        var version = original.Count + 1;
        links.Add(new StoredLink(200, version, MaskedChain.MaskedTypeName, record,
            HashChain.Link(original[^1].Hash!, PlanId, version, MaskedChain.MaskedTypeName, record), null));
        return links;
    }

    private static readonly string[] Names = ["""{"name":"Oma Riet"}""", """{"name":"Buurman Piet"}""", """{"name":"Juf Anja"}"""];

    [Fact]
    public void a_masked_stream_verifies_and_reports_when_it_was_masked()
    {
        var links = Masked(Stream(Names), _ => """{"name":"***"}""");
        var check = MaskedChain.Check(PlanId, links);
        check.Intact.ShouldBeTrue();
        check.Events.ShouldBe(4);
        check.Masking!.MaskedUpToVersion.ShouldBe(3);
        check.Masking.At.ShouldBe(Closed.AddYears(20));
    }

    [Fact]
    public void an_event_appended_after_masking_chains_on_and_verifies()
    {
        var links = Masked(Stream(Names), _ => """{"name":"***"}""");
        var json = """{"key":"k","address":"***"}""";
        links.Add(new StoredLink(300, 5, "notification_sent", json, HashChain.Link(links[^1].Hash!, PlanId, 5, "notification_sent", json), null));
        MaskedChain.Check(PlanId, links).Intact.ShouldBeTrue();
    }

    [Fact]
    public void editing_a_masked_event_afterwards_is_detected_where_it_was()
    {
        var links = Masked(Stream(Names), _ => """{"name":"***"}""");
        links[1] = links[1] with { Json = """{"name":"Iemand anders"}""" };
        var check = MaskedChain.Check(PlanId, links);
        check.Intact.ShouldBeFalse();
        check.FirstBrokenVersion.ShouldBe(2);
    }

    [Fact]
    public void recomputing_the_masked_hashes_after_an_edit_is_caught_by_the_recorded_head()
    {
        var original = Stream(Names);
        var links = Masked(original, _ => """{"name":"***"}""");
        var forged = Masked(original, i => i == 1 ? """{"name":"Iemand anders"}""" : """{"name":"***"}""");
        // The forger rewrites the masked rows and their hash.masked consistently, but not the sealed masking record.
        forged[^1] = links[^1];
        var check = MaskedChain.Check(PlanId, forged);
        check.Intact.ShouldBeFalse();
        check.FirstBrokenVersion.ShouldBe(4);
    }

    [Fact]
    public void removing_the_masking_record_or_a_masked_mark_is_detected()
    {
        var links = Masked(Stream(Names), _ => """{"name":"***"}""");
        MaskedChain.Check(PlanId, links.Take(3).ToList()).Intact.ShouldBeFalse();

        var unmarked = links.ToList();
        unmarked[2] = unmarked[2] with { MaskedHash = null };
        MaskedChain.Check(PlanId, unmarked).FirstBrokenVersion.ShouldBe(3);

        var edited = links.ToList();
        var record = JsonNode.Parse(edited[^1].Json)!;
        record["maskedUpToVersion"] = 2;
        edited[^1] = edited[^1] with { Json = record.ToJsonString() };
        MaskedChain.Check(PlanId, edited).FirstBrokenVersion.ShouldBe(4);

        var reanchored = links.ToList();
        record = JsonNode.Parse(reanchored[^1].Json)!;
        record["originalChainHead"] = new string('1', 64);
        reanchored[^1] = reanchored[^1] with { Json = record.ToJsonString() };
        MaskedChain.Check(PlanId, reanchored).FirstBrokenVersion.ShouldBe(4);
    }

    [Fact]
    public void an_unmasked_stream_is_checked_exactly_as_before()
    {
        var links = Stream(Names);
        MaskedChain.Check(PlanId, links).ShouldBe(new ChainVerification(PlanId, true, 3, null, null));
        links[0] = links[0] with { Json = """{"name":"Iemand anders"}""" };
        MaskedChain.Check(PlanId, links).ShouldBe(new ChainVerification(PlanId, false, 1, 100, 1));
    }
}
