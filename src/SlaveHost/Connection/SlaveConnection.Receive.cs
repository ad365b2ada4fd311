using System.Net.WebSockets;
using Enslavism.Signaling;

namespace Enslavism.SlaveHost;

public sealed partial class SlaveConnection
{
    private const int DiscardBufferBytes = 4096;

    private async Task ReceiveLoopAsync()
    {
        var socket = _socket!;
        var buffer = new byte[_options.MaxIncomingFrameBytes];
        var discard = new byte[DiscardBufferBytes];
        SlaveDisconnectedEventArgs end;
        try
        {
            while (true)
            {
                var filled = 0;
                var tooLarge = false;
                ValueWebSocketReceiveResult result;
                while (true)
                {
                    if (!tooLarge && filled == buffer.Length)
                    {
                        tooLarge = true;
                    }

                    // An oversized frame is read through a small buffer and thrown away, never accumulated.
                    var target = tooLarge ? discard.AsMemory() : buffer.AsMemory(filled);
                    result = await socket.ReceiveAsync(target, CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close || result.EndOfMessage)
                    {
                        if (!tooLarge)
                        {
                            filled += result.Count;
                        }

                        break;
                    }

                    if (!tooLarge)
                    {
                        filled += result.Count;
                    }
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    end = _disposing
                        ? new SlaveDisconnectedEventArgs(SlaveDisconnectReason.Disposed, socket.CloseStatus, socket.CloseStatusDescription, null)
                        : new SlaveDisconnectedEventArgs(SlaveDisconnectReason.ClosedByMaster, socket.CloseStatus, socket.CloseStatusDescription, null);
                    break;
                }

                _metrics.FrameReceived();
                if (tooLarge)
                {
                    Malformed(SignalingErrorKind.TooLarge.ToString(), $"frame over {_options.MaxIncomingFrameBytes} bytes discarded");
                }
                else if (result.MessageType == WebSocketMessageType.Text)
                {
                    Malformed("TextFrame", "text frame; the protocol uses binary frames");
                }
                else if (!SignalingCodec.TryDecode(buffer.AsSpan(0, filled), out var message, out var error, _limits, _protocolVersion))
                {
                    Malformed(error.Kind.ToString(), error.Detail);
                }
                else
                {
                    Dispatch(message!);
                }
            }
        }
        catch (Exception e)
        {
            // Socket errors are the expected case; anything else is a bug, but it must still surface as a disconnect.
            end = _disposing
                ? new SlaveDisconnectedEventArgs(SlaveDisconnectReason.Disposed, null, null, null)
                : new SlaveDisconnectedEventArgs(SlaveDisconnectReason.ConnectionLost, null, null, _sendFailure ?? e);
            if (e is not (WebSocketException or IOException or OperationCanceledException or ObjectDisposedException))
            {
                Log.ReceiveLoopFailed(_logger, e);
            }
        }

        await FinishAsync(end).ConfigureAwait(false);
    }

    private void Dispatch(SignalingMessage message)
    {
        switch (message)
        {
            case OfferFromClient offer:
                HandleOffer(offer);
                break;
            case IceCandidateFromClient candidate:
                HandleRemoteCandidate(candidate);
                break;
            case ClientInfo info:
                HandleClientInfo(info);
                break;
            case ClientLeft left:
                HandleClientLeft(left);
                break;
            default:
                Malformed("UnexpectedType", $"{message.Type} is not sent to slaves");
                break;
        }
    }

    private void Malformed(string kind, string detail)
    {
        _metrics.MalformedFrame(kind);
        Log.MalformedFrame(_logger, kind, detail);
    }

    /// <summary>Runs once, after the receive loop: drains the send side, releases every client, then reports the end.</summary>
    private async Task FinishAsync(SlaveDisconnectedEventArgs end)
    {
        _outgoing.Writer.TryComplete();
        if (_sendLoop is not null)
        {
            try
            {
                await _sendLoop.WaitAsync(_options.CloseTimeout, _timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await _abort.CancelAsync().ConfigureAwait(false);
                _socket!.Abort();
                await _sendLoop.ConfigureAwait(false);
            }
        }

        await ReleaseAllAsync().ConfigureAwait(false);
        _socket!.Dispose();
        _invoker!.Dispose();
        Log.Disconnected(_logger, end.Reason, end.ToString());
        _completion.TrySetResult(end);
        Raise(Disconnected, end, nameof(Disconnected));
    }
}
