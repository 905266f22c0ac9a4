using JasperFx;
using SafetyPlan.Hosting;
using SafetyPlan.Simulation;

if (args is ["simulate", .. var options]) return await SimulateCommand.Run(options);

// `codegen write` rewrites Wolverine's generated code whole (a handler that is gone leaves no file behind), into a
// staging folder that replaces the committed one only when the command succeeded.
if (args is ["codegen", "write", ..]) return await ConfigureGeneratedCode.WriteThenSwap(() => Run(args));
return await Run(args);

static async Task<int> Run(string[] args)
{
    try
    {
        var app = SafetyPlanServer.Build(args);
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            // Only configuration switches (--urls ...): run the server, without JasperFx's listing of the assemblies it scans for commands.
            await app.RunAsync();
            return 0;
        }
        // JasperFx's command line: `projections rebuild`, `db-apply`, `describe`, `help`, ... manage the server.
        return await app.RunJasperFxCommands(args);
    }
    finally
    {
        await Database.StopLocal(); // also when the build threw after starting the local cluster
    }
}

public partial class Program;
