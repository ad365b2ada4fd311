using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit.Abstractions;

namespace Enslavism.Browser.Tests;

/// <summary>The client.js the real master serves, in a real Chromium, with no slaves involved.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClientScriptTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task ScriptTag_DefinesTheGlobalsOfEnslavism09()
    {
        await using var server = await MasterServer.StartAsync();
        await using var tab = await browser.NewPageAsync(output);
        await tab.Page.GotoAsync(server.PageUri.ToString());

        var globals = await tab.Page.EvaluateAsync<string[]>(
            "() => [typeof MasterConnection, typeof SlaveConnection, typeof Enslavism.EnslavismError, typeof Enslavism.decode, typeof Enslavism.encode]");

        Assert.Equal(["function", "function", "function", "function", "function"], globals);
    }

    [Fact]
    public async Task UnreachableMaster_ReportsTypedErrorThenClose()
    {
        var closedPort = GetClosedLoopbackPort();
        await using var server = await MasterServer.StartAsync();
        await using var tab = await browser.NewPageAsync(output);
        await tab.Page.GotoAsync(server.PageUri.ToString());

        var result = await tab.Page.EvaluateAsync<JsonElement>(
            """
            (url) => new Promise((resolve) => {
              const master = new MasterConnection(url);
              const errors = [];
              master.addEventListener('error', (e) => errors.push({ name: e.name, reason: e.reason, isError: e instanceof Enslavism.EnslavismError }));
              master.addEventListener('close', (info) => resolve({ url: master.url, state: master.state, code: info.code, errors }));
            })
            """,
            $"http://127.0.0.1:{closedPort}");

        Assert.Equal($"ws://127.0.0.1:{closedPort}/enslavism/clients", result.GetProperty("url").GetString());
        Assert.Equal("closed", result.GetProperty("state").GetString());
        Assert.Equal(1006, result.GetProperty("code").GetInt32());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal("WebSocketError", error.GetProperty("reason").GetString());
        Assert.Equal("EnslavismError", error.GetProperty("name").GetString());
        Assert.True(error.GetProperty("isError").GetBoolean());
    }

    [Fact]
    public async Task BadMasterUrl_ThrowsInvalidArgument()
    {
        await using var server = await MasterServer.StartAsync();
        await using var tab = await browser.NewPageAsync(output);
        await tab.Page.GotoAsync(server.PageUri.ToString());

        var reason = await tab.Page.EvaluateAsync<string>(
            "() => { try { new MasterConnection('ftp://127.0.0.1/'); return 'no error'; } catch (e) { return e.reason; } }");

        Assert.Equal("InvalidArgument", reason);
    }

    /// <summary>A loopback port nobody listens on: bound then released, so connecting is refused at once.</summary>
    private static int GetClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
