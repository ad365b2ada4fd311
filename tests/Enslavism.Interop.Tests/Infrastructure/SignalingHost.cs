using System.Collections.Concurrent;
using Enslavism.Interop.Tests.Answerer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enslavism.Interop.Tests.Infrastructure;

/// <summary>
/// The signaling contract of tests/interop-peers/README.md on Kestrel at 127.0.0.1:&lt;ephemeral&gt;:
/// <c>POST /offer</c> → answer, <c>POST /log</c>, <c>POST /done</c>, <c>GET /</c> → the Chromium page.
/// </summary>
public sealed class SignalingHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource<string> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SignalingHost(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Completes with the body of the first <c>POST /done</c>.</summary>
    public Task<string> Done => _done.Task;

    public IEnumerable<string> PeerLog => _log;

    public TimeSpan? OfferReceivedAt { get; private set; }

    public static async Task<SignalingHost> StartAsync(IInteropAnswerer answerer, string peersDirectory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var host = new SignalingHost(app);
        app.MapGet("/", () => Results.File(Path.Combine(peersDirectory, "chromium", "page.html"), "text/html; charset=utf-8"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/common/scenario.mjs", () => Results.File(Path.Combine(peersDirectory, "common", "scenario.mjs"), "text/javascript; charset=utf-8"));
        app.MapPost("/offer", async (HttpRequest request, CancellationToken ct) =>
        {
            var offer = await ReadBodyAsync(request).ConfigureAwait(false);
            var candidates = offer.Split('\n').Where(l => l.StartsWith("a=candidate", StringComparison.Ordinal)).Select(l => l.TrimEnd('\r')).ToList();
            host._log.Enqueue($"offer received ({offer.Length} chars, {candidates.Count} candidates{(candidates.Count > 0 ? ": " + string.Join(" | ", candidates) : "")})");
            try
            {
                var answer = await answerer.AcceptOfferAsync(offer, ct).ConfigureAwait(false);
                return Results.Text(answer, "application/sdp");
            }
            catch (InvalidOperationException ex)
            {
                host._log.Enqueue("offer failed: " + ex.Message);
                return Results.BadRequest(ex.Message);
            }
        });
        app.MapPost("/log", async (HttpRequest request) =>
        {
            host._log.Enqueue(await ReadBodyAsync(request).ConfigureAwait(false));
            return Results.Ok();
        });
        app.MapPost("/done", async (HttpRequest request) =>
        {
            var body = await ReadBodyAsync(request).ConfigureAwait(false);
            host._log.Enqueue("done: " + body);
            host._done.TrySetResult(body);
            return Results.Ok();
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseUri = new Uri(address);
        return host;
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
