using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SafetyPlan.Hosting;

/// <summary>Healthy once this process's Hangfire server has announced itself in the job storage.</summary>
public sealed class JobServerHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = storage.GetMonitoringApi().Servers();
        var here = servers.Any(s => s.Name.StartsWith(Environment.MachineName, StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(here
            ? HealthCheckResult.Healthy($"{servers.Count} job server(s)")
            : HealthCheckResult.Unhealthy("The job server has not started yet."));
    }
}
