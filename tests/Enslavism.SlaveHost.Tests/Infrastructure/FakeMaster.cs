using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>
/// A minimal master for unit-level tests: real Kestrel on 127.0.0.1 port 0, real WebSockets, the shared codec. It stands in
/// for the Gateway (built on another branch) only to test the slave side in isolation; it relays nothing. Integration
/// tests against the real Gateway live in <c>GatewayIntegrationTests</c>.
/// </summary>
internal sealed class FakeMaster : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<FakeSlaveSocket> _slaves = Channel.CreateUnbounded<FakeSlaveSocket>();
    private readonly Channel<(string? Raw, IRequestCookieCollection Parsed)> _upgradeCookies = Channel.CreateUnbounded<(string? Raw, IRequestCookieCollection Parsed)>();

    private FakeMaster(WebApplication app) => _app = app;

    /// <summary>Decides each upgrade: null accepts; otherwise the status code and body to refuse with.</summary>
    public Func<HttpContext, (int Status, string Body)?> Authorize { get; set; } = _ => null;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeMaster> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var master = new FakeMaster(app);
        app.UseWebSockets();
        app.Map(MasterUri.SlavesPath, master.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        master.BaseUrl = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
        return master;
    }

    /// <summary>The next slave socket the master accepted.</summary>
    public Task<FakeSlaveSocket> NextSlaveAsync() => _slaves.Reader.ReadAsync().AsTask().Within("a slave to connect");

    /// <summary>The Cookie header of the next upgrade request, raw and as ASP.NET Core decoded it.</summary>
    public Task<(string? Raw, IRequestCookieCollection Parsed)> NextUpgradeCookiesAsync() => _upgradeCookies.Reader.ReadAsync().AsTask().Within("an upgrade request");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        _upgradeCookies.Writer.TryWrite((context.Request.Headers.Cookie.ToString(), context.Request.Cookies));
        if (Authorize(context) is { } refusal)
        {
            context.Response.StatusCode = refusal.Status;
            await context.Response.WriteAsync(refusal.Body);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var slave = new FakeSlaveSocket(socket, context);
        _slaves.Writer.TryWrite(slave);
        await slave.PumpAsync();
    }
}
