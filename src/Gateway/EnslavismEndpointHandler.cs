using System.Net.WebSockets;
using Enslavism.Gateway.Connections;
using Enslavism.Grains;
using Enslavism.Signaling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enslavism.Gateway;

/// <summary>
/// Admits a slave or client WebSocket: Origin check (403), subprotocol negotiation (400), capacity (503), the auth hook
/// (401 with the reason as body), id allocation; then runs the connection until it closes.
/// </summary>
internal sealed partial class EnslavismEndpointHandler
{
    private readonly EnslavismMasterOptions _options;
    private readonly ConnectionServices _services;
    private readonly ILogger _logger;
    private int _slaveConnections;
    private int _clientConnections;

    public EnslavismEndpointHandler(
        IOptions<EnslavismMasterOptions> options,
        IMasterGrainFactory grains,
        EnslavismMasterMetrics metrics,
        ILogger<EnslavismEndpointHandler> logger,
        IHostApplicationLifetime lifetime)
    {
        _options = options.Value;
        _logger = logger;
        var limits = new SignalingLimits { MaxFrameBytes = _options.MaxFrameBytes };
        _services = new ConnectionServices(_options, limits, grains, metrics, logger, lifetime.ApplicationStopping);
    }

    public Task HandleSlaveAsync(HttpContext context) => HandleAsync(context, EntityKind.Slave);

    public Task HandleClientAsync(HttpContext context) => HandleAsync(context, EntityKind.Client);

    private async Task HandleAsync(HttpContext context, EntityKind kind)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, kind, StatusCodes.Status400BadRequest, "This endpoint accepts WebSocket upgrades only.").ConfigureAwait(false);
            return;
        }

        if (!OriginPolicy.IsAllowed(context.Request, _options.AllowedOrigins))
        {
            Log.OriginRefused(_logger, kind, context.Request.Headers.Origin.ToString());
            await RefuseAsync(context, kind, StatusCodes.Status403Forbidden, "Origin not allowed.").ConfigureAwait(false);
            return;
        }

        if (!EnslavismProtocol.TryNegotiate(context.WebSockets.WebSocketRequestedProtocols, out var version, out var subProtocol))
        {
            await RefuseAsync(context, kind, StatusCodes.Status400BadRequest, $"Unsupported subprotocol; offer {EnslavismProtocol.V2}, {EnslavismProtocol.V1} or none.").ConfigureAwait(false);
            return;
        }

        ref var counter = ref kind == EntityKind.Slave ? ref _slaveConnections : ref _clientConnections;
        var limit = kind == EntityKind.Slave ? _options.MaxSlaveConnections : _options.MaxClientConnections;
        if (Interlocked.Increment(ref counter) > limit)
        {
            Interlocked.Decrement(ref counter);
            Log.CapacityReached(_logger, kind, limit);
            await RefuseAsync(context, kind, StatusCodes.Status503ServiceUnavailable, "Too many connections.").ConfigureAwait(false);
            return;
        }

        try
        {
            await AdmitAsync(context, kind, version, subProtocol).ConfigureAwait(false);
        }
        finally
        {
            if (kind == EntityKind.Slave)
            {
                Interlocked.Decrement(ref _slaveConnections);
            }
            else
            {
                Interlocked.Decrement(ref _clientConnections);
            }
        }
    }

    private async Task AdmitAsync(HttpContext context, EntityKind kind, int version, string? subProtocol)
    {
        var rejection = await AuthenticateAsync(context, kind).ConfigureAwait(false);
        if (rejection is not null)
        {
            await RefuseAsync(context, kind, rejection.Value.Status, rejection.Value.Reason).ConfigureAwait(false);
            return;
        }

        var ids = _services.Grains.GetIdAllocator(kind);
        uint id;
        try
        {
            id = await ids.AllocateAsync().ConfigureAwait(false);
        }
        catch (IdSpaceExhaustedException e)
        {
            Log.IdsExhausted(_logger, kind, e.Message);
            await RefuseAsync(context, kind, StatusCodes.Status503ServiceUnavailable, "No id available.").ConfigureAwait(false);
            return;
        }

        PeerConnection? connection = null;
        try
        {
            var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = subProtocol,
                KeepAliveInterval = _options.KeepAliveInterval,
                KeepAliveTimeout = _options.KeepAliveTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : _options.KeepAliveTimeout,
            }).ConfigureAwait(false);
            using (socket)
            {
                connection = kind == EntityKind.Slave
                    ? new SlaveConnection(socket, context, id, version, _services)
                    : new ClientConnection(socket, context, id, version, _services);
                using (connection)
                {
                    await connection.RunAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (connection is null)
            {
                // The grain never took ownership of the id, so nobody else will release it.
                await ids.ReleaseAsync(id).ConfigureAwait(false);
            }
        }
    }

    private async Task<(int Status, string Reason)?> AuthenticateAsync(HttpContext context, EntityKind kind)
    {
        var hook = kind == EntityKind.Slave ? _options.Events.OnSlaveAuthenticating : _options.Events.OnClientAuthenticating;
        if (hook is null)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(_options.AuthTimeout);
        var auth = new EnslavismAuthContext(context, kind, timeout.Token);
        try
        {
            await hook(auth).AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Log.AuthTimedOut(_logger, kind, _options.AuthTimeout);
            return (StatusCodes.Status401Unauthorized, "Authentication timed out.");
        }
#pragma warning disable CA1031 // User code: its failure refuses this one upgrade and nothing else.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.AuthHookFailed(_logger, e, kind);
            return (StatusCodes.Status500InternalServerError, "Authentication failed.");
        }

        if (auth.IsRejected)
        {
            Log.AuthRejected(_logger, kind, auth.RejectionReason!);
            return (StatusCodes.Status401Unauthorized, auth.RejectionReason!);
        }

        return null;
    }

    private async Task RefuseAsync(HttpContext context, EntityKind kind, int status, string body)
    {
        _services.Metrics.UpgradeRefused(kind, status);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
