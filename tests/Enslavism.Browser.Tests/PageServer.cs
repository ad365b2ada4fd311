using System.Net;
using System.Reflection;
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
/// A real Kestrel on 127.0.0.1, port 0, serving the test page and the client library the Gateway embeds at build time
/// (the same bytes a master serves at /enslavism/client.js). Used by the tests that need no master.
/// </summary>
public sealed class PageServer : IAsyncDisposable
{
    private const string ClientScriptResource = "Enslavism.BrowserClient.client.js";
    private readonly WebApplication _app;

    private PageServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public Uri PageUri => new(BaseUri, TestPages.IndexPath);

    public static async Task<PageServer> StartAsync()
    {
        var script = ReadClientScript();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet(TestPages.IndexPath, () => Results.Content(TestPages.Index, "text/html; charset=utf-8"));
        app.MapGet("/enslavism/client.js", () => Results.Bytes(script, "application/javascript; charset=utf-8"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new PageServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static byte[] ReadClientScript()
    {
        var gateway = Assembly.Load("Enslavism.Gateway");
        using var stream = gateway.GetManifestResourceStream(ClientScriptResource)
            ?? throw new InvalidOperationException($"The Gateway assembly does not embed {ClientScriptResource}; was the browser client built?");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
