using JasperFx;
using SafetyPlan.Hosting;
using SafetyPlan.Simulation;

if (args is ["simulate", .. var options]) return await SimulateCommand.Run(options);

// JasperFx's command line: no arguments runs the server; `projections rebuild`, `db-apply`, `describe`, ... manage it.
var exitCode = await SafetyPlanServer.Build(args).RunJasperFxCommands(args);
await Database.StopLocal();
return exitCode;

public partial class Program;
