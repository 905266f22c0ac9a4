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
