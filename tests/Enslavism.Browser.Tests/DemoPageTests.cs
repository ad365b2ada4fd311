using System.Globalization;
using System.Net;
using Enslavism.Gateway.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>The demo page, in Chromium, against the master with its in-process demo slave.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task DemoPage_ListsTheDemoSlave_ConnectsAndShowsAMeasuredRtt_AndChatEchoes()
    {
        Assertions.SetDefaultExpectTimeout(BrowserFixture.WaitTimeoutMs);
        await using var server = await DemoServer.StartAsync(demoEnabled: true);
        await using var tab = await browser.NewPageAsync(output);
        var page = tab.Page;

        await page.GotoAsync(server.BaseUri.ToString());

        var item = page.Locator("#slaves li").Filter(new LocatorFilterOptions { HasText = "Demo echo slave" });
        await Assertions.Expect(item).ToHaveCountAsync(1);
        Assert.Contains("\"demo\":true", await item.Locator(".user-data").InnerTextAsync(), StringComparison.Ordinal);
        await item.Locator("button.connect").ClickAsync();

        // A number measured from a real echo on the unordered, unretransmitted channel.
        var rtt = item.Locator(".rtt[data-rtt-ms]");
        await Assertions.Expect(rtt).ToHaveCountAsync(1);
        var measured = double.Parse(await rtt.GetAttributeAsync("data-rtt-ms") ?? "NaN", CultureInfo.InvariantCulture);
        Assert.True(measured >= 0 && double.IsFinite(measured), $"RTT {measured}");
        Assert.Matches(@"^RTT \d+\.\d ms$", await rtt.InnerTextAsync());

        await page.Locator("#chat-input").FillAsync("hello demo");
        await page.Locator("#chat-input").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#chat-log")).ToContainTextAsync("echo: hello demo");
    }

    [Fact]
    public async Task DemoDisabled_NoPageAndNoDemoSlave()
    {
        await using var server = await DemoServer.StartAsync(demoEnabled: false);
        using var http = new HttpClient();

        using var response = await http.GetAsync(server.BaseUri);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(server.Services.GetServices<IHostedService>().OfType<DemoSlaveService>());
    }
}
