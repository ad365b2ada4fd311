using System.Net;
using Enslavism.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>The real master (Gateway with its in-memory grains) on Kestrel, 127.0.0.1, port 0.</summary>
internal sealed class RealMaster : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RealMaster(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<RealMaster> StartAsync(Action<EnslavismMasterOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddEnslavismMaster(configure);
        var app = builder.Build();
        app.MapEnslavism();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RealMaster(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
