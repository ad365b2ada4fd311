using System.Net;
using System.Net.WebSockets;
using System.Text;
using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enslavism.Gateway.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task HostRoutesAndHostWebSocketEndpoint_KeepWorkingNextToTheMaster()
    {
        await using var host = await MasterTestHost.StartAsync(mapHostEndpoints: app =>
        {
            app.UseWebSockets();
            app.MapGet("/hello", () => "host route");
            app.Map("/chat", async (HttpContext context) =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[256];
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                await socket.SendAsync(buffer.AsMemory(0, result.Count), WebSocketMessageType.Text, true, context.RequestAborted);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
            });
        });
        using var http = new HttpClient { BaseAddress = host.HttpAddress };

        Assert.Equal("host route", await http.GetStringAsync(new Uri("/hello", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/nothing", UriKind.Relative))).StatusCode);

        await using var enslavism = await host.ConnectClientAsync();
        await enslavism.ReceiveAsync<AddSlaves>();

        await using var chat = await TestPeer.ConnectAsync(host.WebSocketUri("/chat"));
        await chat.SendRawAsync(Encoding.UTF8.GetBytes("echo me"), WebSocketMessageType.Text);
        var (type, frame) = await chat.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("echo me", Encoding.UTF8.GetString(frame));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await chat.ReceiveCloseAsync()).Status);
    }

    [Fact]
    public async Task MapEnslavism_WithAPrefix_ServesUnderIt()
    {
        await using var host = await MasterTestHost.StartAsync(prefix: "/games/master");
        await using var client = await TestPeer.ConnectAsync(host.WebSocketUri("/games/master/clients"));
        Assert.Empty((await client.ReceiveAsync<AddSlaves>()).Slaves);
        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/games/master/client.js", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/enslavism/client.js", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ClientJs_IsServedAsJavascript_WithAnETagThatRevalidates()
    {
        await using var host = await MasterTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.HttpAddress };

        using var response = await http.GetAsync(new Uri("/enslavism/client.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        using var resource = typeof(EnslavismMasterOptions).Assembly.GetManifestResourceStream("Enslavism.BrowserClient.client.js");
        Assert.NotNull(resource);
        using var expected = new MemoryStream();
        await resource.CopyToAsync(expected);
        Assert.Equal(expected.ToArray(), body);
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, new Uri("/enslavism/client.js", UriKind.Relative));
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task GracefulShutdown_ClosesPeersWith1001()
    {
        var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();

        var closing = client.ReceiveCloseAsync();
        await host.DisposeAsync();
        var (status, _) = await closing;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }
}
