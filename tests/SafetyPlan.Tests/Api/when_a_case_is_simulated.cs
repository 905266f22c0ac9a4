using System.Diagnostics;
using SafetyPlan.Tests.Infrastructure;

namespace SafetyPlan.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class when_a_case_is_simulated(ServerFixture server)
{
    private async Task<string> Simulate(int weeks, int seed)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = ServerBinary.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { ServerBinary.Dll, "simulate", "--weeks", weeks.ToString(), "--seed", seed.ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment["ConnectionStrings__Postgres"] = server.ConnectionString;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        process.ExitCode.ShouldBe(0, await errors);
        return await output;
    }

    [Fact]
    public async Task the_same_seed_tells_the_same_story_with_an_escalation_that_reaches_the_backup()
    {
        var first = await Simulate(weeks: 3, seed: 1);
        var second = await Simulate(weeks: 3, seed: 1);

        second.ShouldBe(first);
        first.ShouldContain("BOTTOM LINE CROSSED");
        first.ShouldContain("escalation passed to bart");
        first.ShouldContain("evaluation reminder (7 days before)");
        first.ShouldContain("evaluation: continue");
        first.ShouldContain("| agreement | due | kept | partly | not kept | missed |");
    }
}
