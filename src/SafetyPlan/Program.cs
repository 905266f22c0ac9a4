using JasperFx;
using SafetyPlan.Hosting;
using SafetyPlan.Simulation;

if (args is ["simulate", .. var options]) return await SimulateCommand.Run(options);

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
