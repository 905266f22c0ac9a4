using SafetyPlan.Hosting;
using SafetyPlan.Simulation;

if (args is ["simulate", .. var options]) return await SimulateCommand.Run(options);

await SafetyPlanServer.Build(args).RunAsync();
return 0;

public partial class Program;
