using System.Diagnostics;
using System.Text.RegularExpressions;
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

    [Fact]
    public async Task the_timeline_shows_the_reminders_of_each_week_and_the_watchers_who_heard_of_a_slip()
    {
        var story = await Simulate(weeks: 3, seed: 1);

        // Every occurrence is reminded of (once, however many channels): each week counts them beside the kept check-ins.
        var weeks = Regex.Matches(story, @"week (\d): (\d+) check-ins kept, (\d+) reminders before an occurrence");
        weeks.Select(w => w.Groups[1].Value).ShouldBe(["1", "2", "3"], story);
        weeks.ShouldAllBe(w => int.Parse(w.Groups[3].Value) >= int.Parse(w.Groups[2].Value), story);
        // Mother forgets to call twice in week 3, although reminded; oma Riet, the call's watcher, hears of each slip.
        Regex.Matches(story, @"missed: Moeder belt oma \(dagelijks 20:00\) \(\w{3} \d\d-\d\d 20:00\), though reminded at \d\d:\d\d").Count.ShouldBeGreaterThanOrEqualTo(2, story);
        Regex.Matches(story, @"watcher alerted: Oma Riet hears that ""Moeder belt oma \(dagelijks 20:00\)"" slipped \(\w{3} \d\d-\d\d 20:00\)").Count.ShouldBeGreaterThanOrEqualTo(2, story);
        story.ShouldNotContain("notification queued: check-in-reminder");
        story.ShouldNotContain("notification queued: agreement-slipped");
    }

    [Fact]
    public async Task each_deadline_is_recorded_at_its_due_time_not_at_the_next_step_of_the_clock()
    {
        var story = await Simulate(weeks: 3, seed: 1);

        // The 20:00 call is reminded 30 minutes before (its remindBefore) and missed when its window closes (20:00 + PT3H).
        var missed = Regex.Matches(story, @"(\d\d:\d\d)  missed: Moeder belt oma \(dagelijks 20:00\) \(\w{3} \d\d-\d\d 20:00\), though reminded at (\d\d:\d\d)");
        missed.Count.ShouldBeGreaterThanOrEqualTo(2, story);
        missed.ShouldAllBe(m => m.Groups[1].Value == "23:00" && m.Groups[2].Value == "19:30", story);
        // The escalation passes to the backup at its acknowledge-by time.
        var acknowledgeBy = Regex.Match(story, @"ESCALATION to anna, acknowledge by (\d\d:\d\d)");
        acknowledgeBy.Success.ShouldBeTrue(story);
        story.ShouldContain($"{acknowledgeBy.Groups[1].Value}  not acknowledged in time: escalation passed to bart");
    }
}
