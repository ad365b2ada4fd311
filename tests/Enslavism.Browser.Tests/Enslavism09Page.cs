using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>
/// A page that loads only the original Enslavism 0.9.0 bundle, with the script tag a 0.9 game page had
/// (<c>/enslavism/client.js</c>, where the 0.9 master served it), and opens its <c>MasterConnection</c>. The page is our
/// master's test page, fetched from the master for real (Chromium's local-network-access checks only let a page that came
/// from loopback open a loopback WebSocket); its one script request is answered with the 0.9 bundle instead of ours.
/// Events are kept in <c>compat.events</c>.
/// </summary>
internal sealed class Enslavism09Page : IAsyncDisposable
{
    // 0.9's MasterConnection has no open event nor state: the socket (its private _masterSocket) is watched instead, and
    // its close is recorded, so a test sees when our master dropped the 0.9 client. 0.9's handlers throw rather than
    // report, so uncaught errors and unhandled rejections are kept in compat.errors.
    private const string Install = """
        (masterUrl) => {
          const events = [];
          const errors = [];
          window.addEventListener('error', (e) => errors.push(String(e.message)));
          window.addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + String(e.reason)));
          const master = new MasterConnection(masterUrl);
          master.addEventListener('slaveadded', (s) => events.push({ event: 'slaveadded', id: s.id, userData: s.userData }));
          master.addEventListener('slaveremoved', (s) => events.push({ event: 'slaveremoved', id: s.id }));
          // The type byte of every frame from the master, in order (0.9's own listener was added first, so it ran).
          const frames = [];
          master._masterSocket.addEventListener('message', (m) => frames.push(new Uint8Array(m.data)[0]));
          master._masterSocket.addEventListener('close', (e) => events.push({ event: 'socketclose', code: e.code, reason: e.reason }));
          window.compat = { master, events, errors, frames };
        }
        """;

    private readonly BrowserPage _tab;

    private Enslavism09Page(BrowserPage tab) => _tab = tab;

    public IPage Page => _tab.Page;

    /// <summary>Uncaught errors and unhandled rejections on the page since the MasterConnection was made.</summary>
    public async Task<string[]> ErrorsAsync() => await Page.EvaluateAsync<string[]>("() => compat.errors");

    /// <summary>Opens the page and <c>new MasterConnection('ws://127.0.0.1:port')</c>, waiting until its socket is open.</summary>
    public static Task<Enslavism09Page> OpenAsync(BrowserFixture browser, MasterServer master, ITestOutputHelper output) =>
        OpenAsync(browser, master, master, output);

    /// <summary>
    /// As <see cref="OpenAsync(BrowserFixture, MasterServer, ITestOutputHelper)"/>, with the page served by
    /// <paramref name="pageHost"/> (another origin) and the MasterConnection opened to <paramref name="master"/>. Returns
    /// once the socket is open, or closed if <paramref name="expectOpen"/> is false.
    /// </summary>
    public static async Task<Enslavism09Page> OpenAsync(
        BrowserFixture browser, MasterServer pageHost, MasterServer master, ITestOutputHelper output, bool expectOpen = true)
    {
        var bundle = Enslavism09Bundle.Text;
        var tab = await browser.NewPageAsync(output);
        var page = new Enslavism09Page(tab);
        try
        {
            var scriptUri = new Uri(pageHost.BaseUri, "/enslavism/client.js").ToString();
            await tab.Page.RouteAsync(scriptUri, route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/javascript; charset=utf-8",
                Body = bundle,
            }));
            await tab.Page.GotoAsync(pageHost.PageUri.ToString());

            // The page really runs 0.9: its MasterConnection is the bundle's (ours also defines a global Enslavism).
            if (!await tab.Page.EvaluateAsync<bool>("() => typeof MasterConnection === 'function' && typeof Enslavism === 'undefined'"))
            {
                throw new InvalidOperationException("The test page did not load the Enslavism 0.9 bundle.");
            }

            // 0.9 appends /enslavism/clients to the URL it is given, so the URL is the origin with no trailing slash.
            var masterUrl = new UriBuilder(master.BaseUri) { Scheme = "ws" }.Uri.GetLeftPart(UriPartial.Authority);
            await tab.Page.EvaluateAsync(Install, masterUrl);
            await tab.Page.WaitForFunctionAsync(expectOpen
                ? "() => compat.master._masterSocket.readyState === WebSocket.OPEN"
                : "() => compat.master._masterSocket.readyState === WebSocket.CLOSED");
            return page;
        }
        catch
        {
            await tab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the recorded events contain one matching the JS predicate over <c>e</c>.</summary>
    public Task WaitForEventAsync(string predicate) =>
        Page.WaitForFunctionAsync($"() => compat.events.some((e) => {predicate})");

    public async Task<JsonElement[]> EventsAsync() =>
        [.. (await Page.EvaluateAsync<JsonElement>("() => compat.events")).EnumerateArray()];

    public ValueTask DisposeAsync() => _tab.DisposeAsync();
}
