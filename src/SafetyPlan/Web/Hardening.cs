using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NetEscapades.AspNetCore.SecurityHeaders.Infrastructure;

namespace SafetyPlan.Web;

/// <summary>
/// The OWASP ASVS level 2 items that hold for every request (docs/security.md, "ASVS level 2: headers, proxies,
/// cross-site requests"): security headers on every response (NetEscapades.AspNetCore.SecurityHeaders), forwarded
/// headers only from configured proxies, HSTS outside the embedded set-up, and an antiforgery token on every
/// cookie-authenticated API call that changes something.
/// </summary>
public static class Hardening
{
    /// <summary>The API explorer (Scalar) needs inline script and style; it is served only in the embedded set-up or to admins.</summary>
    public const string ApiDocsPolicy = "api-docs";

    /// <summary>The header a cookie-authenticated API call carries its antiforgery token in (ASP.NET's default name).</summary>
    public const string AntiforgeryHeader = "RequestVerificationToken";

    public static IServiceCollection AddSafetyPlanHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSecurityHeaderPolicies()
            .SetDefaultPolicy(Strict)
            .AddPolicy(ApiDocsPolicy, ApiDocs)
            .SetPolicySelector(context => context.HttpContext.Request.Path.StartsWithSegments("/api-docs")
                ? context.ConfiguredPolicies[ApiDocsPolicy]
                : context.SelectedPolicy);
        services.Configure<ForwardedHeadersOptions>(options => ConfigureProxies(options, configuration.GetSection("ForwardedHeaders")));
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            // Behind a proxy the server may well be reached as localhost; a browser ignores HSTS for addresses anyway.
            options.ExcludedHosts.Clear();
        });
        services.AddAntiforgery(options => options.HeaderName = AntiforgeryHeader);
        return services;
    }

    /// <summary>
    /// First in the pipeline: forwarded headers (only from <c>ForwardedHeaders:KnownProxies</c> / <c>KnownNetworks</c>),
    /// the security headers (so that errors carry them too) and, outside the embedded set-up, HSTS on HTTPS responses.
    /// </summary>
    public static WebApplication UseSafetyPlanHardening(this WebApplication app, bool embedded)
    {
        // ASP.NET believes every sender when no proxy is known at all: then the middleware is left out.
        var forwarding = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (forwarding.KnownProxies.Count > 0 || forwarding.KnownIPNetworks.Count > 0) app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!embedded) app.UseHsts();
        return app;
    }

    /// <summary>
    /// After authentication: a cookie-authenticated call to <c>/api</c> with any method but GET, HEAD, OPTIONS or TRACE
    /// must carry the antiforgery token (header <see cref="AntiforgeryHeader"/>, from a page of the same user), or it is
    /// refused with 403: the browser sends the pages' cookie on a cross-site POST too (ASVS 3.5.3, 50.4.3 in v5).
    /// Calls with a bearer token or the development headers carry no ambient credential and need none.
    /// </summary>
    public static WebApplication UseCrossSiteRequestCheck(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (request.Path.StartsWithSegments("/api") && !IsSafe(request.Method)
                && Auth.AuthSchemes.Select(http) == Auth.AuthSchemes.Cookie && http.User.Identity?.IsAuthenticated == true
                && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                await Rejection.Forbidden(
                        $"A call with the pages' sign-in cookie must carry the antiforgery token in the {AntiforgeryHeader} header; cross-site requests are refused.",
                        $"Een verzoek met het aanmeldcookie van de pagina's moet het antiforgery-token in de header {AntiforgeryHeader} meesturen; verzoeken van andere sites worden geweigerd.")
                    .ToProblem(http.Caller().Language).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>
    /// Every response but the API explorer: scripts and styles only from SafetyPlan itself (no inline script, no inline
    /// style but the case file's by hash), no framing, no referrer (personal links carry a token in their path).
    /// </summary>
    private static void Strict(HeaderPolicyCollection policy) => policy
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyNoReferrer()
        .AddCrossOriginOpenerPolicy(b => b.SameOrigin())
        .RemoveServerHeader()
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddScriptSrc().Self();
            csp.AddStyleSrc().Self().WithHash256(Sha256(Audit.CaseFileExport.Style));
            csp.AddImgSrc().Self().Data();
            csp.AddConnectSrc().Self();
            // The member page's service worker and web app manifest (/sw.js, /manifest.webmanifest), said outright rather than left to default-src.
            csp.AddWorkerSrc().Self();
            csp.AddManifestSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().None();
            csp.AddFormAction().Self();
            csp.AddFrameAncestors().None();
        });

    private static void ApiDocs(HeaderPolicyCollection policy) => policy
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyNoReferrer()
        .RemoveServerHeader()
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddScriptSrc().Self().UnsafeInline();
            csp.AddStyleSrc().Self().UnsafeInline();
            csp.AddFontSrc().Self().Data().From("https://fonts.scalar.com");
            csp.AddImgSrc().Self().Data();
            csp.AddConnectSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddFrameAncestors().None();
        });

    private static string Sha256(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies named in <c>ForwardedHeaders:KnownProxies</c>
    /// (addresses) or <c>ForwardedHeaders:KnownNetworks</c> (CIDR, 10.0.0.0/8); none by default, not even loopback, so that a
    /// client cannot choose the address the access log records. Each setting is a list or one comma-separated string.
    /// Throws at start-up on an entry that is no address or network.
    /// </summary>
    public static void ConfigureProxies(ForwardedHeadersOptions options, IConfiguration section)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in List(section, "KnownProxies"))
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
        foreach (var network in List(section, "KnownNetworks"))
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a network such as 10.0.0.0/8."));
    }

    private static IEnumerable<string> List(IConfiguration section, string key)
    {
        var entry = section.GetSection(key);
        var values = entry.Value is { } single ? single.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : entry.GetChildren().Select(c => c.Value?.Trim()).OfType<string>();
        return values.Where(v => v.Length > 0);
    }

    /// <summary>
    /// <c>/health</c>: anyone gets the bare status (Healthy, Degraded, Unhealthy; 200 or 503) for a load balancer; an admin
    /// also gets each check and how the server sees the call (client address and scheme, after forwarded headers), to check
    /// the proxy settings.
    /// </summary>
    public static HealthCheckOptions Health() => new()
    {
        ResponseWriter = async (http, report) =>
        {
            if (!http.User.IsInRole(Caller.Admin))
            {
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync(report.Status.ToString());
                return;
            }
            http.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, new
            {
                status = report.Status.ToString(),
                checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
                caller = new { address = http.Connection.RemoteIpAddress?.ToString(), scheme = http.Request.Scheme },
            });
        },
    };
}
