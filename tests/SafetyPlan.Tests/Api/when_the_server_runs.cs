using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SafetyPlan.Demo;
using SafetyPlan.Notifications;
using SafetyPlan.Plans;
using PlanStatus = SafetyPlan.Tests.Contract.PlanStatus;
using PlanSummary = SafetyPlan.Tests.Contract.PlanSummary;
using State = SafetyPlan.Tests.Contract.State;
using SafetyPlan.Tests.Contract;
using SafetyPlan.Tests.Infrastructure;
using Snapshooter.Xunit;

namespace SafetyPlan.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class when_the_server_runs(ServerFixture server)
{
    [Fact]
    public async Task health_answers_200_once_the_database_and_the_job_server_run()
    {
        var client = server.As(null);
        var response = await client.GetAsync("/health");
        for (var i = 0; i < 50 && response.StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(200); // the job server announces itself just after start
            response = await client.GetAsync("/health");
        }
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }

    [Fact]
    public async Task the_openapi_document_describes_every_route_of_the_contract()
    {
        var document = await (await server.As("admin-1", "admin").GetAsync("/openapi/v1.json")).Json();
        var routes = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .Order()
            .ToList();
        Snapshot.Match(routes);
    }

    [Fact]
    public async Task admins_manage_users_and_users_read_themselves()
    {
        var admin = server.As("admin-1", "admin");
        var put = await admin.PutAsync("/api/users/anna", System.Net.Http.Json.JsonContent.Create(new
        {
            name = "Anna de Vries", email = "anna@jeugdzorg.example", language = "nl", roles = new[] { "professional" },
        }));
        put.StatusCode.ShouldBe(HttpStatusCode.OK);

        var self = await server.As("anna", "professional").Get<User>("/api/users/anna");
        (self.Email, self.Language).ShouldBe(("anna@jeugdzorg.example", "nl"));

        (await server.As("bert", "professional").GetAsync("/api/users/anna")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var bad = await admin.PutAsync("/api/users/anna", System.Net.Http.Json.JsonContent.Create(new { name = "A", email = "anna", language = "de", roles = new[] { "king" } }));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        new[] { "email", "language", "roles" }.ShouldBeSubsetOf((await bad.Read<Problem>()).Errors!.Keys); // each wrong field, by its contract name
    }

    /// <summary><c>GET /api/users/{userId}</c>.</summary>
    private sealed record User(string Name, string Email, string Language);

    [Fact]
    public async Task with_development_sign_in_it_refuses_to_listen_beyond_loopback()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = ServerBinary.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ServerBinary.Dll);
        psi.Environment["ConnectionStrings__Postgres"] = server.ConnectionString;
        psi.Environment["ASPNETCORE_URLS"] = "http://0.0.0.0:5999";
        psi.Environment["Auth__Mode"] = "Development";
        psi.Environment["App__BaseUrl"] = "http://localhost:5999";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        process.ExitCode.ShouldNotBe(0);
        (await output + await errors).ShouldContain("listens only on loopback");
    }

    [Fact]
    public async Task the_manual_clock_moves_forward_only()
    {
        var client = server.As("tester", "professional");
        var now = (await (await client.Post("/api/dev/clock", new { advance = "PT1M" })).Read<ClockResult>()).Now;
        var later = (await (await client.Post("/api/dev/clock", new { now = now.AddDays(1) })).Read<ClockResult>()).Now;
        later.ShouldBe(now.AddDays(1));
        (await client.Post("/api/dev/clock", new { now = now })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await server.As(null).PostAsync("/api/dev/clock", System.Net.Http.Json.JsonContent.Create(new { advance = "P1D" }))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task the_demo_case_is_a_family_with_two_children_five_members_four_agreements_and_two_bottom_lines_and_three_weeks_of_history()
    {
        var demo = ActivatorUtilities.CreateInstance<DemoCase>(server.Factory.Services);
        Guid planId;
        await using (await server.HoldBackHangfiresSweep()) // as at start-up, where the job server starts after the seed
        {
            // Two nodes starting at once on one database: one seeds, the other finds it seeded.
            var secondNode = ActivatorUtilities.CreateInstance<DemoCase>(server.Factory.Services);
            var seeded = await Task.WhenAll(demo.Seed(CancellationToken.None), secondNode.Seed(CancellationToken.None));
            seeded.Distinct().ShouldHaveSingleItem();
            planId = seeded[0];
        }
        await using (var session = server.Store.QuerySession())
            (await session.LoadAsync<DemoSeeded>(DemoSeeded.TheId)).ShouldNotBeNull(); // the whole history is in
        var now = server.Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        var status = await server.As(DemoCase.MonitorId, "professional").Get<PlanStatus>($"/api/plans/{planId}");
        status.State.ShouldBe(State.Active);
        status.Members.Count(m => m.Role == "child").ShouldBe(2);
        status.Members.Count(m => m.Role != "child").ShouldBe(5);
        (status.Agreements.Count, status.BottomLines.Count).ShouldBe((4, 2));

        var list = await server.As(DemoCase.MonitorId, "professional").Get<List<PlanSummary>>($"/api/plans?monitorId={DemoCase.MonitorId}");
        list.ShouldContain(p => p.Id == planId);

        // The story a newcomer sees, in the plan's own stream.
        var events = await Stream(planId);
        var data = events.Select(e => e.Data).ToList();
        var plan = await server.Store.QuerySession().LoadAsync<Plan>(planId);
        var riet = plan!.Members.Single(m => m.Name == "Oma Riet").Id;
        var call = plan.Agreements.Single(a => a.Text.StartsWith("Moeder belt")).Id;

        var checkIns = data.OfType<CheckInLogged>().ToList();
        checkIns.Count(c => c.Outcome == CheckInOutcome.Kept && !c.Late).ShouldBeGreaterThan(30);
        checkIns.Count(c => c.Late).ShouldBe(1);
        checkIns.Count(c => c.Outcome == CheckInOutcome.NotKept).ShouldBe(1);
        var missed = data.OfType<CheckInMissed>().ToList();
        missed.ShouldContain(m => m.AgreementId == call);
        data.OfType<NotificationQueued>().ShouldContain(n => n.Subject == NotificationSubject.AgreementSlipped && n.RecipientMemberId == riet
            && n.Reference == Notify.OccurrenceReference(call, missed.First(m => m.AgreementId == call).Occurrence));
        data.OfType<NotificationQueued>().Count(n => n.Subject == NotificationSubject.CheckInReminder && n.Channel == NotificationChannel.Email)
            .ShouldBeGreaterThan(30);

        var raised = data.OfType<EscalationRaised>().ShouldHaveSingleItem();
        var passed = events.Single(e => e.Data is EscalationPassedToBackup);
        var acknowledged = events.Single(e => e.Data is EscalationAcknowledged);
        ((EscalationPassedToBackup)passed.Data).RecipientId.ShouldBe(DemoCase.BackupId);
        ((EscalationAcknowledged)acknowledged.Data).By.ShouldBe(DemoCase.BackupId);
        acknowledged.Version.ShouldBeGreaterThan(passed.Version);
        data.OfType<EscalationResolved>().ShouldHaveSingleItem();
        data.OfType<SafetyRated>().Count().ShouldBe(6);
        // At its end, one case audit through the real decisions, signed by anna and the auditor (CaseAudits/).
        data.Where(e => e.GetType().Name.StartsWith("CaseAudit")).Select(e => e.GetType())
            .ShouldBe([typeof(CaseAuditOpened), typeof(CaseAuditWritten), typeof(CaseAuditSigned), typeof(CaseAuditSigned)]);
        var audit = plan.CaseAudits.ShouldHaveSingleItem();
        (audit.IsSigned, audit.ProfessionalId, audit.AuditorId, audit.Facts.Escalations).ShouldBe((true, DemoCase.MonitorId, DemoCase.AuditorId, 1));

        // A referral and two conference sessions: the first drafts the plan, the second agrees it (Conference/).
        status.Referral.ShouldNotBeNull().By.ShouldBe("Veilig Thuis");
        status.ConferenceSessions.ShouldNotBeNull().Select(s => s.HeldOn).ShouldBe(
            [status.Referral!.ReceivedOn.AddDays(9), status.Referral.ReceivedOn.AddDays(9 + DemoCase.FirstSessionDaysEarlier)]);
        (status.ConferenceDue, status.ConferenceOverdue).ShouldBe((null, false));

        // Three weeks since the conference (its first session two weeks before), ending at the clock's today; nothing dated after now.
        var at = data.OfType<IPlanEvent>().Select(e => e.At).ToList();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Amsterdam).DateTime);
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at.Min(), Amsterdam).DateTime).ShouldBe(today.AddDays(-DemoCase.HistoryDays - DemoCase.FirstSessionDaysEarlier));
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(data.OfType<PlanAgreed>().Single().At, Amsterdam).DateTime).ShouldBe(today.AddDays(-DemoCase.HistoryDays));
        at.Max().ShouldBeLessThanOrEqualTo(now);
        at.Where(a => a > now.AddDays(-1)).ShouldNotBeEmpty();

        (await demo.Seed(CancellationToken.None)).ShouldBe(planId); // seeding again finds the case instead of adding one
        (await Stream(planId)).Count(e => e.Data is not NotificationSent and not NotificationSkipped and not NotificationFailed)
            .ShouldBe(events.Count(e => e.Data is not NotificationSent and not NotificationSkipped and not NotificationFailed));
    }

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> Stream(Guid planId)
    {
        await using var query = server.Store.QuerySession();
        return await query.Events.FetchStreamAsync(planId);
    }
}
