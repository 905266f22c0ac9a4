using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using SafetyPlan.Plans;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

/// <summary>Schema evolution: an event stored in its first shape is upcast to the current one whenever it is read.</summary>
[Collection(ServerCollection.Name)]
public sealed class when_an_old_event_shape_is_read(ServerFixture server)
{
    [Fact]
    public async Task a_stored_network_member_added_reads_as_member_added_with_its_contact_split()
    {
        var plan = await new PlanBuilder(server).Drafted();
        var legacyMember = Guid.NewGuid();
        await using (var session = server.Store.LightweightSession())
        {
            session.Events.Append(plan.PlanId, new NetworkMemberAdded(legacyMember, "Buurman Kees", MemberRole.Network, "kees@example.org", ServerFixture.Start));
            await session.SaveChangesAsync();
        }

        await using (var query = server.Store.QuerySession())
        {
            var events = await query.Events.FetchStreamAsync(plan.PlanId);
            var upcast = events.Last().Data.ShouldBeOfType<MemberAdded>();
            upcast.Email.ShouldBe("kees@example.org");
            upcast.Phone.ShouldBeNull();

            var replayed = await query.Events.AggregateStreamAsync<Plan>(plan.PlanId);
            replayed!.ActiveMember(legacyMember)!.Name.ShouldBe("Buurman Kees");
        }

        var history = await plan.History();
        history.Last().Type.ShouldBe("member-added");
        var asItStood = await plan.Status($"?version={history.Count}");
        asItStood.Members.ShouldContain(m => m.Name == "Buurman Kees");
    }

    [Fact]
    public async Task a_case_audit_opened_before_the_facts_per_agreement_and_session_reads_without_them()
    {
        var plan = await new PlanBuilder(server).Drafted();
        JsonSerializerOptions json = null!;
        ((Marten.Services.SystemTextJsonSerializer)server.Store.Options.Serializer()).Configure(options => json = options);
        // The first stored shape: the facts without complianceByAgreement and conferenceAttendance.
        var current = new CaseAuditOpened(Guid.NewGuid(), plan.MonitorId, "auditor-old", new SafetyPlan.Plans.CaseAuditFacts(1, 12.5, 0.75, 1, 2, 2,
            [new SafetyPlan.Plans.AgreementCompliance(plan.AgreementId, "Oma haalt op", 4, 3, 1, 0, 0, 0.75)], []), 7, ServerFixture.Start);
        var stored = JsonNode.Parse(JsonSerializer.Serialize(current, json))!.AsObject();
        var facts = stored.Single(p => p.Key.Equals("facts", StringComparison.OrdinalIgnoreCase)).Value!.AsObject();
        foreach (var name in facts.Select(p => p.Key).Where(k => k.StartsWith("complianceBy", StringComparison.OrdinalIgnoreCase) || k.StartsWith("conferenceAtt", StringComparison.OrdinalIgnoreCase)).ToList())
            facts.Remove(name);
        facts.Count.ShouldBe(6);

        var old = JsonSerializer.Deserialize<CaseAuditOpened>(stored.ToJsonString(), json)!;
        old.Facts.ShouldBe(new SafetyPlan.Plans.CaseAuditFacts(1, 12.5, 0.75, 1, 2, 2));
        await using (var session = server.Store.LightweightSession())
        {
            session.Events.Append(plan.PlanId, old);
            await session.SaveChangesAsync();
        }

        var auditor = server.As("auditor-reader", "auditor", "en");
        var read = await auditor.Get<Contract.CaseAudit>($"/api/plans/{plan.PlanId}/case-audits/{old.AuditId}");
        read.Facts.ShouldBe(new Contract.CaseAuditFacts(1, 12.5, 0.75, 1, 2, 2, ComplianceByAgreement: null, ConferenceAttendance: null));
        var caseFile = await (await auditor.GetAsync($"/api/plans/{plan.PlanId}/export?format=html")).Content.ReadAsStringAsync();
        caseFile.ShouldContain("not recorded for an audit opened before these facts existed");
    }

    [Theory]
    [InlineData("oma@example.org", "oma@example.org", null)]
    [InlineData("06-12345678", null, "06-12345678")]
    [InlineData(null, null, null)]
    public void the_old_contact_becomes_an_email_or_a_phone(string? contact, string? email, string? phone)
    {
        var upcast = new NetworkMemberAdded(Guid.NewGuid(), "X", MemberRole.Parent, contact, ServerFixture.Start).Upcast();
        upcast.Email.ShouldBe(email);
        upcast.Phone.ShouldBe(phone);
    }
}
