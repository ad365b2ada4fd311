using System.Text.Json.Nodes;
using Enslavism.SlaveHost;
using Enslavism.SlaveHost.EchoHost;
using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enslavism.Gateway.Demo;

/// <summary>
/// The demo's echo slave, in the master's own process but through the same public path as any slave: a WebSocket to
/// this server's <c>/enslavism/slaves</c>, and its own UDP socket for WebRTC.
/// </summary>
public sealed partial class DemoSlaveService(
    IOptions<DemoOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DemoSlaveService>();

    /// <summary>The running demo slave (null before it started); tests read its client and session counts.</summary>
    public EnslavismSlave? Slave { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The server's address is known only once it listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var master = MasterAddress();
        if (master is null)
        {
            Log.NoAddress(_logger);
            return;
        }

        var demo = options.Value;
        var webRtc = new SlaveWebRtcOptions { Port = demo.UdpPort };
        webRtc.AnnouncedAddresses.Add(demo.AnnouncedAddress);
        await using var slave = new EnslavismSlave(new SlaveOptions(), webRtc, loggerFactory);
        slave.ClientConnected += (_, e) => EchoHostRunner.AttachEcho(e.Client, _logger);
        var userData = JsonUserData.Parse(new JsonObject { ["name"] = demo.Name, ["demo"] = true }.ToJsonString());
        try
        {
            await slave.ConnectAsync(master, userData, cancellationToken: stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SlaveConnectException or TimeoutException)
        {
            Log.ConnectFailed(_logger, master, e);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Slave = slave;
        Log.Started(_logger, master, slave.LocalEndPoint.Port, demo.AnnouncedAddress);
        try
        {
            await slave.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
            Log.Disconnected(_logger, slave.Completion.Result.ToString());
        }
        catch (OperationCanceledException)
        {
            // Host shutdown: the await using unregisters the slave and closes its clients.
        }
        finally
        {
            Slave = null;
        }
    }

    private Uri? MasterAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => Uri.TryCreate(a.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null)
            .FirstOrDefault(uri => uri is not null && uri.Scheme is "http" or "https");
        if (address is null)
        {
            return null;
        }

        // A wildcard listen address is not a destination; the loopback interface always reaches this server.
        var host = address.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : address.Host;
        return new UriBuilder(address) { Scheme = address.Scheme == "https" ? "wss" : "ws", Host = host, Path = "/" }.Uri;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Demo slave registered with {Master}; WebRTC on UDP port {Port}, announced as {Announced}", EventName = "DemoSlaveStarted")]
        public static partial void Started(ILogger logger, Uri master, int port, string announced);

        [LoggerMessage(2, LogLevel.Error, "Demo slave could not connect to {Master}", EventName = "DemoSlaveConnectFailed")]
        public static partial void ConnectFailed(ILogger logger, Uri master, Exception exception);

        [LoggerMessage(3, LogLevel.Warning, "Demo slave disconnected: {Reason}", EventName = "DemoSlaveDisconnected")]
        public static partial void Disconnected(ILogger logger, string reason);

        [LoggerMessage(4, LogLevel.Error, "Demo slave not started: the server has no HTTP address", EventName = "DemoSlaveNoAddress")]
        public static partial void NoAddress(ILogger logger);
    }
}
