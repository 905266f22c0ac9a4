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
    /// an empty staging folder, and only when it succeeded (exit code 0, and at least one file written) puts that folder
    /// in place of <see cref="OutputPath"/>, whole: a handler that is gone leaves no file behind. A failure, or an
    /// exception, leaves the committed code as it was (the staging folder is removed), so a failed run never leaves a
    /// checkout without its generated code.
    /// </summary>
    public static async Task<int> WriteThenSwap(Func<Task<int>> write)
    {
        var (target, staging) = (OutputPath, StagingPath);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        _writeTo = staging;
        try
        {
            var exitCode = await write();
            if (exitCode != 0 || !Directory.EnumerateFiles(staging, "*.cs", SearchOption.AllDirectories).Any())
            {
                Console.Error.WriteLine($"codegen write failed (exit code {exitCode}); {target} is left as it was.");
                return exitCode != 0 ? exitCode : 1;
            }
            var previous = staging + "-previous";
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
            if (Directory.Exists(target)) Directory.Move(target, previous);
            Directory.Move(staging, target);
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
            return 0;
        }
        finally
        {
            _writeTo = null;
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
