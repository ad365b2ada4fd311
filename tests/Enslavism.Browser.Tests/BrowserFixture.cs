using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// One headless Chromium for the whole collection (a launch costs ~0.3–1.4 s and ~380 MiB); each test gets its own
/// context and page. The system Chromium is used, so nothing is downloaded; override its path with ENSLAVISM_CHROMIUM.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Bound for every wait on the page: generous for a loaded 2-core machine, still finite.</summary>
    public const float WaitTimeoutMs = 20_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not launched.");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ENSLAVISM_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",

                // Loopback ICE candidates need both: the flag, and a media permission (granted by the fake UI).
                "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
            ],
        });
    }

    /// <summary>A fresh context and page; dispose the returned handle to close both.</summary>
    public async Task<BrowserPage> NewPageAsync(ITestOutputHelper output)
    {
        var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(WaitTimeoutMs);
        var page = await context.NewPageAsync();

        // Page console and errors go to the test log: a failing test then shows what the page saw.
        page.Console += (_, message) => TryLog(output, $"[page {message.Type}] {message.Text}");
        page.PageError += (_, error) => TryLog(output, $"[page error] {error}");
        return new BrowserPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private static void TryLog(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished; late console lines have nowhere to go.
        }
    }
}

/// <summary>A page in its own browser context.</summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public ValueTask DisposeAsync() => new(context.CloseAsync());
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
