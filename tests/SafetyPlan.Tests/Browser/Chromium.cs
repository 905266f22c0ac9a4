using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace SafetyPlan.Tests.Browser;

/// <summary>
/// Debian's Chromium (never a downloaded browser), headless, driven by Playwright for .NET; axe-core (bundled in
/// Deque.AxeCore.Playwright, injected into the page) checks accessibility; screenshots go to artifacts/screenshots.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    private Chromium(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public static async Task<Chromium> Launch()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (.ci/run does).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A phone (360 px wide, touch) or a desk; each context has its own cookies.</summary>
    public Task<IBrowserContext> Context(bool phone, string language = "nl") => Browser.NewContextAsync(phone
        ? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, Locale = Locale(language) }
        : new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = Locale(language) });

    private static string Locale(string language) => language == "en" ? "en-GB" : "nl-NL";

    /// <summary>No serious or critical accessibility violations on the page as it is now.</summary>
    public static async Task AssertAccessible(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe on {page.Url}:\n" + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>The whole page; or, given <paramref name="from"/>, one viewport with that element at its top (README's size).</summary>
    public static async Task Screenshot(IPage page, string name, ILocator? from = null)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        if (from is not null) await from.EvaluateAsync("e => e.scrollIntoView({ block: 'start' })");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = from is null });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SafetyPlan.slnx"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
