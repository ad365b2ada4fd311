using Enslavism.Interop.Tests.Answerer;
using Enslavism.Interop.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Enslavism.Interop.Tests.Peers;

/// <summary>
/// Headless Chromium (libwebrtc, dcSCTP, BoringSSL) driven by Playwright with the system browser: the page served
/// by our signaling host runs the full scenario against our answerer. Loopback candidates need
/// <c>--allow-loopback-in-peer-connection</c> plus a granted media permission (fake UI); inside a loopback-only
/// namespace they are the only ones, in the host namespace the answerer drops whatever is not loopback.
/// </summary>
public sealed class ChromiumTests(ITestOutputHelper output)
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Theory]
    [InlineData(AnswererKind.Endpoint)]
    [InlineData(AnswererKind.Layers)]
    public async Task Chromium_FullScenario_Succeeds(AnswererKind answerer)
    {
        Assert.True(File.Exists(ChromiumPath), "chromium is not installed (scripts/install-prereqs.sh)");
        await using var run = await InteropRun.StartAsync(answerer);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 20_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic",
                "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            ],
        });
        var page = await browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => { lock (console) { console.Add(message.Text); } };
        await page.GotoAsync(run.BaseUrl + "/", new PageGotoOptions { Timeout = 10_000 });
        var done = await run.WaitDoneAsync(TimeSpan.FromSeconds(30));
        string consoleText;
        lock (console)
        {
            consoleText = string.Join('\n', console);
        }

        await NodePeerTests.AssertFullScenarioAsync(run, done, exitCode: 0, "ok", consoleText, output);
    }
}
