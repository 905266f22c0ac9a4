using SafetyPlan.Auth;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The plan-level rules of who may read and change a plan, without a database: the session is only asked for a
/// professional's team when neither the plan's monitor, its backup nor a team claim decides it, and no case here needs it.
/// </summary>
public sealed class when_someone_works_on_a_plan
{
    private static readonly Marten.IQuerySession NoDatabase = null!;

    private static Caller Professional(string id, string? team = null) =>
        new(id, new HashSet<string> { "professional" }, null, "en") { Team = team };

    private static Plan OfTeam(string team) => Build(DraftedPlan(team));

    [Theory]
    [InlineData("anna", null, true)]   // the monitor
    [InlineData("bart", null, true)]   // the backup
    [InlineData("cem", "noord", true)] // a colleague of the plan's team, named at sign-in
    [InlineData("cem", "zuid", false)] // a professional of another team
    public async Task a_professional_works_on_the_plans_they_monitor_back_up_or_share_a_team_with(string user, string? team, bool allowed)
    {
        var plan = OfTeam("noord");
        var caller = Professional(user, team);
        (await caller.MayChange(plan, NoDatabase, default) is null).ShouldBe(allowed);
        (await caller.MayRead(plan, NoDatabase, default) is null).ShouldBe(allowed);
    }

    [Fact]
    public async Task a_professional_outside_a_plan_without_a_team_is_refused_with_a_reason_in_both_languages()
    {
        var refused = await Professional("cem").MayChange(Active(), NoDatabase, default);
        refused.ShouldNotBeNull();
        refused.Kind.ShouldBe(Decisions.RejectionKind.Forbidden);
        refused.Detail.In("nl").ShouldContain("niet van u");
        refused.Detail.In("en").ShouldContain("not yours");
    }

    [Fact]
    public async Task an_auditor_reads_every_plan_and_changes_none()
    {
        var auditor = new Caller("ada", new HashSet<string> { "auditor" }, null, "en");
        (await auditor.MayRead(Active(), NoDatabase, default)).ShouldBeNull();
        (await auditor.MayChange(Active(), NoDatabase, default)).ShouldNotBeNull();
    }

    [Fact]
    public async Task a_member_reads_their_own_plan_only()
    {
        (await OmaOnHerPhone.MayRead(Active(), NoDatabase, default)).ShouldBeNull();
        var stranger = new Caller("kees", new HashSet<string> { $"member:{Guid.NewGuid()}" }, Guid.NewGuid(), "nl");
        (await stranger.MayRead(Active(), NoDatabase, default)).ShouldNotBeNull();
    }

    [Fact]
    public async Task scheduled_work_may_do_what_time_demands_and_no_request_can_claim_to_be_it()
    {
        (await Caller.System("scheduler").MayChange(Active(), NoDatabase, default)).ShouldBeNull();
        var claims = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [
            new(System.Security.Claims.ClaimTypes.NameIdentifier, "scheduler"),
            new(System.Security.Claims.ClaimTypes.Role, "system"),
            new(System.Security.Claims.ClaimTypes.Role, "professional"),
        ], "test"));
        var pretender = Caller.From(claims, "en");
        pretender.IsSystem.ShouldBeFalse();
        (await pretender.MayChange(Active(), NoDatabase, default)).ShouldNotBeNull();
    }
}
