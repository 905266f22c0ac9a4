using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SafetyPlan.Pages;
using SafetyPlan.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

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

    /// <summary>
    /// Starts a server process of the test's own (a real address for Chromium) on a new database, without the demo's
    /// seed, with development sign-in and the manual clock set to <paramref name="now"/>. The caller disposes it.
    /// </summary>
    /// <param name="server">the collection's fixture, which makes the database</param>
    /// <param name="database">the new database's name, unique to the test (and to its language, for a theory)</param>
    /// <param name="now">where the manual clock starts</param>
    /// <param name="extraSettings">settings (environment variables) the test needs besides these, e.g. <c>Smtp__Host</c>; they win</param>
    public static async Task<ServerProcess> StartNode(ServerFixture server, string database, DateTimeOffset now,
        IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = await server.CreateDatabase(database),
            ["Demo__Seed"] = "false", ["Auth__Mode"] = "Development",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>()) settings[key] = value;
        var node = new ServerProcess(settings);
        try
        {
            await node.Start(now);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    /// <summary>
    /// Opens <c>{site}/sign-in</c> and signs in there (<see cref="SignInHere"/>).
    /// </summary>
    /// <param name="page">the browser page, whose context keeps the session's cookie</param>
    /// <param name="site">the server's address without a trailing slash</param>
    /// <param name="user">the user id typed into the development sign-in</param>
    /// <param name="roles">the roles typed in, e.g. <c>professional</c> or <c>member:{id}</c></param>
    /// <param name="language"><c>nl</c> or <c>en</c> to choose that language on the sign-in page first (remembered from then
    /// on); null leaves the language as the page offers it</param>
    public static async Task SignIn(IPage page, string site, string user, string roles, string? language = null)
    {
        await page.GotoAsync($"{site}/sign-in");
        await SignInHere(page, user, roles, language);
    }

    /// <summary>
    /// Signs in on the development sign-in page the browser is on now (e.g. after a redirect that carries the return
    /// address), choosing <paramref name="language"/> first when given, and waits until the page it lands on is loaded.
    /// </summary>
    /// <param name="page">a page showing the sign-in form</param>
    /// <param name="user">the user id typed in</param>
    /// <param name="roles">the roles typed in</param>
    /// <param name="language"><c>nl</c> or <c>en</c> to choose that language first; null leaves it as it is</param>
    public static async Task SignInHere(IPage page, string user, string roles, string? language = null)
    {
        if (language is not null)
        {
            var choice = page.GetByRole(AriaRole.Button, new() { Name = language == "en" ? "English" : "Nederlands" });
            if (await choice.CountAsync() > 0) await choice.ClickAsync();
            // Choosing reloads the page: the form is filled only once it shows the chosen language.
            await Expect(page.Locator("h1")).ToHaveTextAsync(UiText.For(language).SignInTitle);
        }
        await page.Locator("#user-id").FillAsync(user);
        await page.Locator("#roles").FillAsync(roles);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

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
