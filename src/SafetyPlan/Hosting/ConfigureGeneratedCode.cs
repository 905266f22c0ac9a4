using JasperFx;
using JasperFx.CodeGeneration;

namespace SafetyPlan.Hosting;

/// <summary>
/// Wolverine's handler code is generated at build time, not at start (issue 17): <c>codegen write</c> writes it to
/// <c>src/SafetyPlan/Internal/Generated</c>, it is committed and compiled into this assembly, and every start (production,
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

    public static IServiceCollection AddSafetyPlanGeneratedCode(this IServiceCollection services) =>
        services.CritterStackDefaults(options =>
        {
            options.ApplicationAssembly = typeof(Program).Assembly;
            options.GeneratedCodeOutputPath = OutputPath;
            foreach (var profile in new[] { options.Production, options.Development })
            {
                profile.GeneratedCodeMode = TypeLoadMode.Static;
                profile.AssertAllPreGeneratedTypesExist = true;
                profile.SourceCodeWritingEnabled = false;
            }
        });
}
