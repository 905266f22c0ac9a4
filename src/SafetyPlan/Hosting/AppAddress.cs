using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SafetyPlan.Hosting;

/// <summary>
/// Where people reach SafetyPlan (App:BaseUrl, an absolute http or https URL such as <c>https://veiligheidsplan.gemeente.nl</c>):
/// the start of every link SafetyPlan hands out. Never taken from a request's Host header, which the caller chooses.
/// Required outside the embedded set-up (the server does not start without it); in the embedded set-up it defaults to
/// the first address the server listens on (loopback there).
/// </summary>
public sealed class AppAddress(IConfiguration configuration, IServer server)
{
    /// <summary>Where ASP.NET listens when nothing says otherwise (Kestrel's default): the embedded set-up's address before the server reports its own.</summary>
    public const string KestrelDefault = "http://localhost:5000";

    /// <summary>The base URL without a trailing slash.</summary>
    public string BaseUrl => Configured(configuration) ?? Listening(server)[0].TrimEnd('/');

    /// <summary>The addresses the server listens on, or <see cref="KestrelDefault"/> before it reports them.</summary>
    public static IReadOnlyList<string> Listening(IServer server) =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() is { Count: > 0 } listening ? listening : [KestrelDefault];

    /// <summary>App:BaseUrl checked at start-up: throws when it is missing outside the embedded set-up, or is not an absolute http(s) URL.</summary>
    public static string? Configured(IConfiguration configuration)
    {
        var configured = configuration["App:BaseUrl"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (Database.IsEmbedded(configuration)) return null;
            throw new InvalidOperationException(
                "App:BaseUrl is required when a database is configured: the address people reach SafetyPlan at (for example " +
                "https://veiligheidsplan.gemeente.nl), which every personal link starts with; SafetyPlan never builds links from a request's Host header.");
        }
        if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.Query))
            throw new InvalidOperationException($"App:BaseUrl '{configured}' is not an absolute http or https URL without a query.");
        return configured.Trim().TrimEnd('/');
    }

}

public static class AppAddressServices
{
    /// <summary>Checks App:BaseUrl now (start-up) and registers <see cref="AppAddress"/>.</summary>
    public static IServiceCollection AddAppAddress(this IServiceCollection services, IConfiguration configuration)
    {
        AppAddress.Configured(configuration);
        return services.AddSingleton<AppAddress>();
    }
}
