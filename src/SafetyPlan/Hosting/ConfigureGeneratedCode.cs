using JasperFx;
using JasperFx.CodeGeneration;

namespace SafetyPlan.Hosting;

/// <summary>
/// Wolverine's handler code is generated at build time, not at start (issue 17): <c>codegen write</c> writes it to
/// <c>src/SafetyPlan/Internal/Generated</c> (through a staging folder swapped in only on success: <see cref="WriteThenSwap"/>), it is committed and compiled into this assembly, and every start (production,
/// development, the tests) loads those types only (<see cref="TypeLoadMode.Static"/>): no Roslyn at start. A handler
/// whose generated type is missing is refused at start (<c>AssertAllPreGeneratedTypesExist</c>); generated code that is
/// out of date fails the build or, in any case, <c>.ci/check-generated-code</c>. After changing a handler, a message, middleware or what Wolverine or Marten is told at start:
/// <c>dotnet run --project src/SafetyPlan -p:Codegen=true -- codegen write</c> (README, "Generated code").
/// </summary>
public static class ConfigureGeneratedCode
{
    /// <summary>The folder of the generated code, at the top of a checkout; only <c>codegen write</c> writes there.</summary>
    public static string OutputPath =>
        Path.Combine(Database.RepositoryRoot() ?? AppContext.BaseDirectory, "src", "SafetyPlan", "Internal", "Generated");

    /// <summary>
    /// Where <c>codegen write</c> writes first: under the project's <c>obj/</c> (never compiled, never committed), on the
    /// same disk as <see cref="OutputPath"/> so that the swap is a rename.
    /// </summary>
    private static string StagingPath => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(OutputPath)!)!, "obj", "generated-staging");

    private static string? _writeTo;

    public static IServiceCollection AddSafetyPlanGeneratedCode(this IServiceCollection services) =>
        services.CritterStackDefaults(options =>
        {
            options.ApplicationAssembly = typeof(Program).Assembly;
            options.GeneratedCodeOutputPath = _writeTo ?? OutputPath;
            foreach (var profile in new[] { options.Production, options.Development })
            {
                profile.GeneratedCodeMode = TypeLoadMode.Static;
                profile.AssertAllPreGeneratedTypesExist = true;
                profile.SourceCodeWritingEnabled = false;
            }
        });

    /// <summary>
    /// Runs <c>codegen write</c> (<paramref name="write"/>, which builds the app after this has pointed it elsewhere) into
    /// an empty staging folder, and only when it succeeded puts that folder in place of <see cref="OutputPath"/>, whole
    /// (<see cref="WriteThenSwap(string, string, Func{string, Task{int}}, TextWriter)"/>).
    /// </summary>
    public static Task<int> WriteThenSwap(Func<Task<int>> write) =>
        WriteThenSwap(OutputPath, StagingPath, async staging =>
        {
            _writeTo = staging;
            try { return await write(); }
            finally { _writeTo = null; }
        }, Console.Error);

    /// <summary>
    /// Lets <paramref name="write"/> generate into <paramref name="staging"/> (emptied first), and only when it succeeded
    /// (exit code 0, and at least one <c>.cs</c> file written) puts that folder in place of <paramref name="target"/>,
    /// whole: a handler that is gone leaves no file behind. A failure, or an exception, leaves <paramref name="target"/>
    /// as it was (the staging folder is removed), so a failed run never leaves a checkout without its generated code. The
    /// swap is two renames on one disk; a run killed between them left the old folder at <paramref name="staging"/>
    /// <c>-previous</c>, which the next run puts back before anything else.
    /// </summary>
    /// <returns>the exit code: <paramref name="write"/>'s, or 1 when it wrote nothing</returns>
    public static async Task<int> WriteThenSwap(string target, string staging, Func<string, Task<int>> write, TextWriter log)
    {
        var previous = staging + "-previous";
        if (!Directory.Exists(target) && Directory.Exists(previous)) Directory.Move(previous, target);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            var exitCode = await write(staging);
            if (exitCode != 0 || !Directory.EnumerateFiles(staging, "*.cs", SearchOption.AllDirectories).Any())
            {
                log.WriteLine($"codegen write failed (exit code {exitCode}); {target} is left as it was.");
                return exitCode != 0 ? exitCode : 1;
            }
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
            if (Directory.Exists(target)) Directory.Move(target, previous);
            Directory.Move(staging, target);
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
            return 0;
        }
        catch
        {
            log.WriteLine($"codegen write failed (an exception, below); {target} is left as it was.");
            throw;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
