using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.People;
using SafetyPlan.Reports;

namespace SafetyPlan.Demo;

/// <summary>
/// One realistic case for the embedded set-up (Demo:Seed): the Bakker family, two children, five network members,
/// four agreements and two bottom lines, written through the same commands as the API. Seeding twice adds nothing.
/// </summary>
public sealed class DemoCase(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<DemoCase> logger) : BackgroundService
{
    public static readonly Guid PlanId = new("5afe7a1a-0000-4000-8000-00000000d3e0");
    public const string MonitorId = "anna";
    public const string BackupId = "bart";

    private readonly TaskCompletionSource<Guid> _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the demo plan's id once it is seeded (at start-up, after the server listens); fails when seeding failed.</summary>
    public Task<Guid> Seeded => _seeded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            _seeded.TrySetResult(await Seed(stoppingToken));
        }
        catch (Exception e)
        {
            _seeded.TrySetException(e);
            throw;
        }
    }

    public async Task<Guid> Seed(CancellationToken ct)
    {
        await using (var query = services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            if (await query.Events.FetchStreamStateAsync(PlanId, ct) is not null) return PlanId;
        }

        await using (var session = services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(
                new UserAccount { Id = MonitorId, Name = "Anna de Vries", Email = "anna.devries@jeugdzorg.example", Language = "nl", Roles = [Caller.Professional] },
                new UserAccount { Id = BackupId, Name = "Bart Peeters (teamleider)", Email = "bart.peeters@jeugdzorg.example", Language = "nl", Roles = [Caller.Professional] },
                new UserAccount { Id = "admin", Name = "Beheerder", Email = "beheer@jeugdzorg.example", Language = "en", Roles = [Caller.Admin] });
            await session.SaveChangesAsync(ct);
        }

        await using var scope = services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var anna = Caller.System(MonitorId);
        async Task<Guid> Send(object command) => (await bus.InvokeAsync<Decision<CreatedId>>(command, ct)).Result!.Id;

        await Send(new DraftPlan(PlanId, "Veiligheidsplan gezin Bakker", "Gezin Bakker (Sem, 8 jaar, en Lotte, 5 jaar)", MonitorId, BackupId, DraftPlan.DefaultTimeZone, anna));
        var sandra = await Send(new AddMember(PlanId, Guid.NewGuid(), "Sandra Bakker (moeder)", MemberRole.Parent, null, "06-12345678", anna));
        await Send(new AddMember(PlanId, Guid.NewGuid(), "Mark Bakker (vader)", MemberRole.Parent, null, null, anna));
        var riet = await Send(new AddMember(PlanId, Guid.NewGuid(), "Oma Riet", MemberRole.Network, "riet@example.org", "06-87654321", anna));
        var fatima = await Send(new AddMember(PlanId, Guid.NewGuid(), "Fatima (buurvrouw)", MemberRole.Network, null, null, anna));
        var ellen = await Send(new AddMember(PlanId, Guid.NewGuid(), "Juf Ellen (groepsleerkracht)", MemberRole.Professional, "ellen@school.example", null, anna));
        await Send(new AddMember(PlanId, Guid.NewGuid(), "Sem", MemberRole.Child, null, null, anna));
        await Send(new AddMember(PlanId, Guid.NewGuid(), "Lotte", MemberRole.Child, null, null, anna));

        var afterSchool = await Send(new SetSafetyGoal(PlanId, Guid.NewGuid(),
            "Wij zijn bang dat Sem en Lotte na school alleen thuis zijn als moeder heeft gedronken, en dat niemand dan voor ze zorgt.",
            "Er is elke schooldag na school een nuchtere volwassene bij Sem en Lotte, de komende drie maanden.", anna));
        var evenings = await Send(new SetSafetyGoal(PlanId, Guid.NewGuid(),
            "Wij zijn bang dat de kinderen 's avonds getuige zijn van ruzies met geschreeuw en geweld.",
            "Als er 's avonds spanning is, belt moeder oma Riet en gaan de kinderen daar slapen.", anna));

        var weekdays = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" };
        var pickUp = await Send(new MakeAgreement(PlanId, Guid.NewGuid(), "Oma Riet haalt Sem en Lotte elke schooldag om 15:00 op en blijft tot vader thuis is.",
            riet, afterSchool, new ScheduleRequest(null, weekdays, "15:00", null), TimeSpan.FromHours(2), anna));
        await Send(new MakeAgreement(PlanId, Guid.NewGuid(), "Moeder belt elke avond om 20:00 met oma Riet hoe het gaat.",
            sandra, evenings, new ScheduleRequest("20:00", null, null, null), TimeSpan.FromHours(3), anna));
        await Send(new MakeAgreement(PlanId, Guid.NewGuid(), "Juf Ellen meldt op maandag en donderdag of Sem en Lotte op school waren en er verzorgd uitzagen.",
            ellen, afterSchool, new ScheduleRequest(null, ["monday", "thursday"], "16:00", null), TimeSpan.FromHours(4), anna));
        await Send(new MakeAgreement(PlanId, Guid.NewGuid(), "Buurvrouw Fatima loopt zaterdag om 11:00 even binnen.",
            fatima, evenings, new ScheduleRequest(null, ["saturday"], "11:00", null), TimeSpan.FromHours(6), anna));

        await Send(new SetBottomLine(PlanId, Guid.NewGuid(), "Als Sem en Lotte niet zijn opgehaald, komt de regiehouder direct in actie.",
            new BottomLineRule(RuleKind.AnyBreach, AgreementId: pickUp), TimeSpan.FromHours(2), anna));
        await Send(new SetBottomLine(PlanId, Guid.NewGuid(), "Bij een ernstige zorg (geweld, alcohol, kinderen alleen) handelt de regiehouder binnen twee uur.",
            new BottomLineRule(RuleKind.Concern, MinSeverity: Severity.High), TimeSpan.FromHours(2), anna));

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(services.GetRequiredService<TimeProvider>().GetUtcNow(),
            TimeZoneInfo.FindSystemTimeZoneById(DraftPlan.DefaultTimeZone)).DateTime);
        await bus.InvokeAsync<Decision<PlanAgreedResult>>(new AgreePlan(PlanId, today.AddDays(42), anna), ct);
        await bus.InvokeAsync<Decision<Receipt>>(new GiveRating(PlanId, Guid.NewGuid(), "demo-rating-riet", riet, 5, "Het gaat beter sinds de afspraken.", anna), ct);
        await bus.InvokeAsync<Decision<Receipt>>(new GiveRating(PlanId, Guid.NewGuid(), "demo-rating-sandra", sandra, 7, null, anna), ct);
        logger.LogDebug("Demo case {PlanId} (gezin Bakker) seeded", PlanId);
        return PlanId;
    }
}
