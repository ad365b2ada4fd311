using System.Net;
using System.Threading.Channels;
using Enslavism.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enslavism.Browser.Tests;

/// <summary>
/// The real master (AddEnslavismMaster + MapEnslavism) on Kestrel at 127.0.0.1, port 0, also serving the test page
/// from the same origin, so the master's default Origin policy (same host and port) admits the page.
/// </summary>
public sealed class MasterServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(uint Id, string UserDataJson)> _registrations;

    private MasterServer(WebApplication app, Uri baseUri, Channel<(uint, string)> registrations)
    {
        _app = app;
        BaseUri = baseUri;
        _registrations = registrations;
    }

    public Uri BaseUri { get; }

    public Uri PageUri => new(BaseUri, TestPages.IndexPath);

    public Uri SlavesUri => new UriBuilder(BaseUri) { Scheme = "ws", Path = "/enslavism/slaves" }.Uri;

    public static async Task<MasterServer> StartAsync()
    {
        var registrations = Channel.CreateUnbounded<(uint, string)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddEnslavismMaster(options =>
        {
            // Lets a test learn the id the master gave a slave (a version-1 slave is never told its own id).
            options.Events.OnSlaveRegistered = context =>
            {
                registrations.Writer.TryWrite((context.SlaveId, context.UserData.ToString()));
                return ValueTask.CompletedTask;
            };
        });
        var app = builder.Build();
        app.MapEnslavism();
        app.MapGet(TestPages.IndexPath, () => Results.Content(TestPages.Index, "text/html; charset=utf-8"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new MasterServer(app, new Uri(address), registrations);
    }

    /// <summary>The id of the next slave that registers with exactly this user data.</summary>
    public async Task<uint> WaitForRegistrationAsync(string userDataJson)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs));
        while (true)
        {
            var (id, json) = await _registrations.Reader.ReadAsync(timeout.Token);
            if (json == userDataJson)
            {
                return id;
            }
        }
    }

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
