using System.Reflection;

namespace SafetyPlan.Web;

/// <summary>
/// The pages' stylesheet and scripts, embedded in the server's assembly and served by SafetyPlan itself (no CDN, and
/// nothing to copy next to the binary). The member page's web app manifest and service worker are served at the root
/// (<c>/manifest.webmanifest</c>, <c>/sw.js</c>): a service worker controls only pages under its own path
/// (docs/scheduling-and-notifications.md, "The member page as an app").
/// </summary>
public static class PageAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = Load();

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var file)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(file.Content, file.Type);
        })
        .ExcludeFromDescription()
        .AllowAnonymous();

    /// <summary>The service worker and the manifest at the root; asked again on every visit (no-cache), so a new version is picked up at once.</summary>
    public static void MapApp(IEndpointRouteBuilder app)
    {
        foreach (var (path, name) in new[] { ("/sw.js", "sw.js"), ("/manifest.webmanifest", "manifest.webmanifest") })
        {
            var file = Files[name];
            app.MapGet(path, (HttpContext http) =>
                {
                    http.Response.Headers.CacheControl = "no-cache";
                    return Results.Bytes(file.Content, file.Type);
                })
                .ExcludeFromDescription()
                .AllowAnonymous();
        }
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        const string prefix = "SafetyPlan.Web.Assets.";
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(
            n => n[prefix.Length..],
            n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                var type = n.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                    : n.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                    : n.EndsWith(".webmanifest", StringComparison.Ordinal) ? "application/manifest+json; charset=utf-8"
                    : n.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "application/octet-stream";
                return (memory.ToArray(), type);
            });
    }
}
