using System.Net;
using System.Net.WebSockets;
using System.Text;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

public sealed partial class SlaveConnection
{
    private const string SubProtocolV2 = "enslavism.v2";

    private int _protocolVersion = SignalingCodec.Version1;

    /// <summary>The signaling protocol version the master agreed to: 2 when it answered <c>enslavism.v2</c>, else 1.</summary>
    public int ProtocolVersion => _protocolVersion;

    private async Task OpenSocketAsync(Uri uri, string? cookieHeader, CancellationToken cancellationToken)
    {
        var capture = new UpgradeResponseCapture(
            new SocketsHttpHandler { ConnectTimeout = _options.ConnectTimeout },
            _options.MaxRejectionReasonBytes);
        var invoker = new HttpMessageInvoker(capture, disposeHandler: true);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = _options.KeepAliveTimeout;
        socket.Options.CollectHttpResponseDetails = true;

        // Offer version 2; a master that answers without it (Enslavism 0.9) speaks version 1.
        socket.Options.AddSubProtocol(SubProtocolV2);
        if (cookieHeader is not null)
        {
            // A raw header instead of Options.Cookies: CookieContainer rejects some encoded values and needs a domain.
            socket.Options.SetRequestHeader("Cookie", cookieHeader);
        }

        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(uri, invoker, linked.Token).ConfigureAwait(false);
            _socket = socket;
            _invoker = invoker;
            _protocolVersion = socket.SubProtocol == SubProtocolV2 ? SignalingCodec.Version2 : SignalingCodec.Version1;
            return;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Dispose(socket, invoker);
            var error = new TimeoutException($"The master at {uri} did not accept the slave within {_options.ConnectTimeout}.");
            Log.ConnectFailed(_logger, uri, error);
            throw error;
        }
        catch (OperationCanceledException)
        {
            Dispose(socket, invoker);
            throw;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
        {
            var status = capture.RefusedStatus ?? (socket.HttpStatusCode == 0 ? null : socket.HttpStatusCode);
            var body = capture.RefusedBody;
            Dispose(socket, invoker);
            if (status == HttpStatusCode.Unauthorized)
            {
                var reason = DecodeReason(body);
                Log.AuthRejected(_logger, uri, (int)status.Value, reason);
                throw new SlaveAuthRejectedException(reason, status.Value, e);
            }

            Log.ConnectFailed(_logger, uri, e);
            var message = status is null
                ? $"Could not open the signaling connection to {uri}: {e.Message}"
                : $"The master at {uri} answered the upgrade with {(int)status.Value} {status.Value}.";
            throw new SlaveConnectException(message, status, e);
        }
    }

    private static string DecodeReason(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return string.Empty;
        }

        // The body may have been cut inside a character; replacement characters are fine in a human-readable reason.
        return Encoding.UTF8.GetString(body).Trim();
    }

    private static void Dispose(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        socket.Dispose();
        invoker.Dispose();
    }
}
