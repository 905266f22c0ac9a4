using SafetyPlan.Hosting;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// <c>codegen write</c> generates into a staging folder and replaces the committed generated code only when it succeeded
/// (<see cref="ConfigureGeneratedCode.WriteThenSwap(string, string, Func{string, Task{int}}, TextWriter)"/>): a failed
/// run, whatever way it fails, leaves the code the server needs to start. Each test in a temporary folder of its own.
/// </summary>
public sealed class when_generated_code_is_regenerated : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("safetyplan-codegen-").FullName;
    private string Target => Path.Combine(_root, "Generated");
    private string Staging => Path.Combine(_root, "obj", "generated-staging");
    private readonly StringWriter _log = new();

    public when_generated_code_is_regenerated()
    {
        Directory.CreateDirectory(Path.Combine(Target, "WolverineHandlers"));
        File.WriteAllText(Path.Combine(Target, "WolverineHandlers", "OldHandler.cs"), "// committed");
        File.WriteAllText(Path.Combine(Target, "WolverineHandlers", "GoneHandler.cs"), "// a handler that no longer exists");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Every file under the target folder, relative to it, with its text.</summary>
    private Dictionary<string, string> Committed() =>
        Directory.EnumerateFiles(Target, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Target, f).Replace('\\', '/'), File.ReadAllText);

    private static Func<string, Task<int>> Writes(int exitCode, params string[] files) => staging =>
    {
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(staging, file))!);
            File.WriteAllText(Path.Combine(staging, file), "// new");
        }
        return Task.FromResult(exitCode);
    };

    private Task<int> Run(Func<string, Task<int>> write) => ConfigureGeneratedCode.WriteThenSwap(Target, Staging, write, _log);

    [Fact]
    public async Task a_successful_run_replaces_the_folder_whole_and_leaves_no_staging_behind()
    {
        (await Run(Writes(0, "WolverineHandlers/OldHandler.cs", "WolverineHandlers/NewHandler.cs"))).ShouldBe(0);
        Committed().ShouldBe(new Dictionary<string, string>
        {
            ["WolverineHandlers/OldHandler.cs"] = "// new", ["WolverineHandlers/NewHandler.cs"] = "// new",
        }, ignoreOrder: true);
        Directory.Exists(Staging).ShouldBeFalse();
        Directory.Exists(Staging + "-previous").ShouldBeFalse();
    }

    [Fact]
    public async Task a_run_that_fails_halfway_leaves_the_committed_code_as_it_was()
    {
        var before = Committed();
        (await Run(Writes(1, "WolverineHandlers/OldHandler.cs"))).ShouldBe(1);
        Committed().ShouldBe(before);
        Directory.Exists(Staging).ShouldBeFalse();
        _log.ToString().ShouldContain("is left as it was");
    }

    [Fact]
    public async Task a_run_that_throws_leaves_the_committed_code_as_it_was()
    {
        var before = Committed();
        await Should.ThrowAsync<InvalidOperationException>(() => Run(async staging =>
        {
            await Writes(0, "WolverineHandlers/OldHandler.cs")(staging);
            throw new InvalidOperationException("the app did not build");
        }));
        Committed().ShouldBe(before);
        Directory.Exists(Staging).ShouldBeFalse();
        _log.ToString().ShouldContain("is left as it was");
    }

    [Fact]
    public async Task a_run_that_says_it_succeeded_but_wrote_nothing_fails_and_leaves_the_committed_code()
    {
        var before = Committed();
        (await Run(Writes(0))).ShouldBe(1);
        Committed().ShouldBe(before);
    }

    [Fact]
    public async Task a_run_starts_in_an_empty_staging_folder_so_nothing_of_an_earlier_run_is_swapped_in()
    {
        Directory.CreateDirectory(Staging);
        File.WriteAllText(Path.Combine(Staging, "Leftover.cs"), "// an earlier, failed run");
        (await Run(Writes(0, "WolverineHandlers/NewHandler.cs"))).ShouldBe(0);
        Committed().Keys.ShouldBe(["WolverineHandlers/NewHandler.cs"]);
    }

    [Fact]
    public async Task a_run_killed_between_the_two_renames_is_repaired_by_the_next_run_even_when_that_one_fails()
    {
        var before = Committed();
        Directory.CreateDirectory(Path.GetDirectoryName(Staging)!);
        Directory.Move(Target, Staging + "-previous"); // the first rename happened, the second did not
        (await Run(Writes(1))).ShouldBe(1);
        Committed().ShouldBe(before);
        Directory.Exists(Staging + "-previous").ShouldBeFalse();
    }
}
