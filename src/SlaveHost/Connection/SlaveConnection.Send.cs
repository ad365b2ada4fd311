using System.Net.WebSockets;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

public sealed partial class SlaveConnection
{
    /// <summary>
    /// Queues a frame without waiting. Callers are peer-connection events and the receive loop, which must not block on a
    /// slow master; a full queue drops the frame and counts it, and the caller decides what the loss means.
    /// </summary>
    private bool TrySend(SignalingMessage message)
    {
        if (_outgoing.Writer.TryWrite(SignalingCodec.Encode(message)))
        {
            return true;
        }

        _metrics.OutgoingDropped();
        Log.OutgoingDropped(_logger, message.Type);
        return false;
    }

    private async Task SendLoopAsync()
    {
        var socket = _socket!;
        try
        {
            await foreach (var frame in _outgoing.Reader.ReadAllAsync(_abort.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, _abort.Token).ConfigureAwait(false);
                _metrics.FrameSent();
            }

            // The queue completes on dispose or after the master's close frame: finish the close handshake.
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, _disposing ? "slave closing" : null, _abort.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            if (!_abort.IsCancellationRequested)
            {
                _sendFailure = e;
                Log.SendFailed(_logger, e);
            }

            // Without a working send side the session is useless; aborting wakes the receive loop, which reports the loss.
            socket.Abort();
        }
    }
}
