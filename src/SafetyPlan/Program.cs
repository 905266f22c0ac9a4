using JasperFx;
using SafetyPlan.Hosting;
using SafetyPlan.Simulation;

if (args is ["simulate", .. var options]) return await SimulateCommand.Run(options);

// `codegen write` rewrites Wolverine's generated code whole: a handler that is gone leaves no file behind.
if (args is ["codegen", "write", ..] && Directory.Exists(ConfigureGeneratedCode.OutputPath)) Directory.Delete(ConfigureGeneratedCode.OutputPath, recursive: true);
var app = SafetyPlanServer.Build(args);
int exitCode;
if (args.Length == 0 || args[0].StartsWith('-'))
{
    // Only configuration switches (--urls ...): run the server, without JasperFx's listing of the assemblies it scans for commands.
    await app.RunAsync();
    exitCode = 0;
}
else
{
    // JasperFx's command line: `projections rebuild`, `db-apply`, `describe`, `help`, ... manage the server.
    exitCode = await app.RunJasperFxCommands(args);
}
await Database.StopLocal();
return exitCode;

public partial class Program;
