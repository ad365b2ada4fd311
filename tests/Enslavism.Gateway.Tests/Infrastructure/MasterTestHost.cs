using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enslavism.Gateway.Tests.Infrastructure;

/// <summary>
/// A real Kestrel master on 127.0.0.1 with an OS-chosen port. Errors logged by the server (unexpected exceptions) are
/// rethrown when the host is disposed, so a server-side bug fails the test that caused it.
/// </summary>
internal sealed class MasterTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ErrorCollector _errors;

    private MasterTestHost(WebApplication app, ErrorCollector errors, Uri address)
    {
        _app = app;
        _errors = errors;
        HttpAddress = address;
    }

    public Uri HttpAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Server log entries at Error or above that a test expects (e.g. a hook that throws on purpose).</summary>
    public Func<string, bool> IsExpectedError { get; set; } = _ => false;

    public static async Task<MasterTestHost> StartAsync(
        Action<EnslavismMasterOptions>? configure = null,
        Action<WebApplication>? mapHostEndpoints = null,
        Action<IServiceCollection>? services = null,
        string? prefix = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var errors = new ErrorCollector();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(errors);
        services?.Invoke(builder.Services);
        builder.Services.AddEnslavismMaster(options =>
        {
            // Loopback tests have no cross-origin pages unless a test adds them.
            options.CloseTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        });
        var app = builder.Build();
        mapHostEndpoints?.Invoke(app);
        if (prefix is null)
        {
            app.MapEnslavism();
        }
        else
        {
            app.MapEnslavism(prefix);
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new MasterTestHost(app, errors, new Uri(address));
    }

    public Uri WebSocketUri(string path) => new UriBuilder(HttpAddress) { Scheme = "ws", Path = path }.Uri;

    public Task<TestPeer> ConnectSlaveAsync(Action<System.Net.WebSockets.ClientWebSocketOptions>? configure = null) =>
        TestPeer.ConnectAsync(WebSocketUri("/enslavism/slaves"), configure);

    public Task<TestPeer> ConnectClientAsync(Action<System.Net.WebSockets.ClientWebSocketOptions>? configure = null) =>
        TestPeer.ConnectAsync(WebSocketUri("/enslavism/clients"), configure);

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
        var unexpected = _errors.Entries.Where(e => !IsExpectedError(e)).ToList();
        if (unexpected.Count > 0)
        {
            throw new InvalidOperationException("The server logged errors:" + Environment.NewLine + string.Join(Environment.NewLine, unexpected));
        }
    }

    private sealed class ErrorCollector : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Collector(ErrorCollector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner.Entries.Enqueue($"{category}[{eventId.Id}]: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
