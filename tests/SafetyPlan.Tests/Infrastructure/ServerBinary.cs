namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// The server as built in its own project (same configuration as the tests). Not the copy beside the tests: that folder
/// also holds test-only assemblies (FsCheck, ...) that JasperFx's command discovery would try to load.
/// </summary>
public static class ServerBinary
{
    public static string Directory { get; } = Find();

    public static string Dll => System.IO.Path.Combine(Directory, "SafetyPlan.dll");

    private static string Find()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var framework = here.Name;                 // net10.0
        var configuration = here.Parent!.Name;     // Debug or Release
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "src", "SafetyPlan", "bin", configuration, framework);
            if (File.Exists(System.IO.Path.Combine(candidate, "SafetyPlan.dll"))) return candidate;
        }
        throw new FileNotFoundException($"SafetyPlan.dll was not found in src/SafetyPlan/bin/{configuration}/{framework} above {here.FullName}.");
    }
}
