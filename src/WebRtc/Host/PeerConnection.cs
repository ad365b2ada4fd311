using System.Net;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Session;
using SansIoChannel = Enslavism.WebRtc.DataChannels.DataChannel;

namespace Enslavism.WebRtc.Host;

/// <summary>
/// Application view of one <see cref="WebRtcSession"/> on a <see cref="WebRtcEndpoint"/>. Thread-safe: every call is
/// posted to the endpoint's event loop. Events are raised on the endpoint's dispatcher thread, serially and in order.
/// </summary>
public sealed class PeerConnection
{
    private readonly WebRtcEndpoint _endpoint;
    private readonly Dictionary<SansIoChannel, WebRtcDataChannel> _channels = [];
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SessionClosed> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal PeerConnection(WebRtcEndpoint endpoint, WebRtcSession session)
    {
        _endpoint = endpoint;
        Session = session;
    }

    internal WebRtcSession Session { get; }

    internal TimeSpan Now => _endpoint.Now;

    public bool IsAnswerer => Session.IsAnswerer;

    /// <summary>
    /// Live counters of the session, SCTP included (<see cref="WebRtcSessionStats.Sctp"/>). Written by the endpoint's
    /// loop thread: read from elsewhere they are a snapshot for logs and benchmarks, not a consistent set.
    /// </summary>
    public WebRtcSessionStats Stats => Session.Stats;

    /// <summary>Our ICE ufrag (also the routing key of the session on the endpoint).</summary>
    public string LocalUfrag => Session.LocalCredentials.Ufrag;

    public IPEndPoint? RemoteEndPoint { get; private set; }

    /// <summary>Completes when ICE, DTLS and SCTP are up; faults with <see cref="WebRtcException"/> if the session closes first.</summary>
    public Task WhenConnected => _connected.Task;

    /// <summary>Completes with the close reason when the session ended.</summary>
    public Task<SessionClosed> WhenClosed => _closed.Task;

    /// <summary>The peer opened a channel (DCEP). Attach its handlers inside this handler to miss no message.</summary>
    public event Action<WebRtcDataChannel>? DataChannel;

    public event Action<PeerConnection>? Connected;

    public event Action<PeerConnection, SessionClosed>? Closed;

    /// <summary>Opens an in-band channel (our stream-id parity); <see cref="WebRtcDataChannel.WhenOpen"/> tells when it is usable.</summary>
    public Task<WebRtcDataChannel> CreateDataChannelAsync(string label, DataChannelOptions? options = null) =>
        OpenAsync((options ?? new DataChannelOptions()) with { Label = label ?? string.Empty }, null);

    /// <summary>Pre-negotiated channel on <paramref name="streamId"/>: the peer must create the same id with the same options.</summary>
    public Task<WebRtcDataChannel> CreateNegotiatedDataChannelAsync(ushort streamId, string label, DataChannelOptions? options = null) =>
        OpenAsync((options ?? new DataChannelOptions()) with { Label = label ?? string.Empty }, streamId);

    /// <summary>
    /// A snapshot of when the session passed each setup step, in <see cref="WebRtcEndpoint"/> time (taken on the event
    /// loop, so it is consistent). Completes even after the session ended.
    /// </summary>
    public Task<WebRtcSessionPhases> GetPhasesAsync()
    {
        var result = new TaskCompletionSource<WebRtcSessionPhases>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => result.TrySetResult(Session.Stats.Phases.Clone()));
        return result.Task;
    }

    /// <summary>Graceful close (SCTP SHUTDOWN, DTLS close_notify).</summary>
    public void Close() => Post(() => Session.Close(Now));

    /// <summary>Immediate close (SCTP ABORT, DTLS close_notify).</summary>
    public void Abort(string reason = "aborted") => Post(() => Session.Abort(Now, reason));

    internal void Post(Action action) => _endpoint.Post(this, action);

    internal void Dispatch(Action action) => _endpoint.Dispatcher.Post(action);

    internal void DispatchMessage(WebRtcDataChannel channel, bool isText, byte[] data) => _endpoint.Dispatcher.PostMessage(channel, isText, data);

    private Task<WebRtcDataChannel> OpenAsync(DataChannelOptions options, ushort? negotiatedId)
    {
        var result = new TaskCompletionSource<WebRtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            var channel = negotiatedId is { } id
                ? Session.OpenNegotiatedChannel(Now, id, options, out var error)
                : Session.OpenChannel(Now, options, out error);
            if (channel is null)
            {
                result.TrySetException(new WebRtcException(error!));
                return;
            }

            result.TrySetResult(Wrap(channel));
        });
        return result.Task;
    }

    private WebRtcDataChannel Wrap(SansIoChannel channel)
    {
        if (!_channels.TryGetValue(channel, out var wrapper))
        {
            wrapper = new WebRtcDataChannel(this, channel);
            _channels[channel] = wrapper;
        }

        return wrapper;
    }

    // Loop thread only below.
    internal void OnSessionEvent(SessionEvent sessionEvent)
    {
        switch (sessionEvent)
        {
            case SessionConnected connected:
                RemoteEndPoint = connected.Remote;
                Dispatch(() =>
                {
                    _connected.TrySetResult();
                    Connected?.Invoke(this);
                });
                break;
            case ChannelOpened opened:
                var wrapper = Wrap(opened.Channel);
                if (opened.OpenedByPeer)
                {
                    Dispatch(() => DataChannel?.Invoke(wrapper));
                }

                wrapper.OnOpened();
                break;
            case ChannelMessage message:
                Wrap(message.Channel).OnMessage(message.IsText, message.Data);
                break;
            case ChannelClosed closed:
                Wrap(closed.Channel).OnClosed();
                _channels.Remove(closed.Channel);
                break;
            case Session.BufferedAmountLow low:
                Wrap(low.Channel).OnBufferedAmountLow();
                break;
            case ChannelError error when error.Channel is { } errorChannel && _channels.TryGetValue(errorChannel, out var target):
                target.OnError(error.Kind + ": " + error.Message);
                break;
            case SessionClosed sessionClosed:
                foreach (var channel in _channels.Values)
                {
                    channel.OnClosed();
                }

                _channels.Clear();
                Dispatch(() =>
                {
                    _connected.TrySetException(new WebRtcException($"session closed: {sessionClosed.Reason} ({sessionClosed.Detail})"));
                    _closed.TrySetResult(sessionClosed);
                    Closed?.Invoke(this, sessionClosed);
                });
                break;
        }
    }

    internal void RefreshBuffered()
    {
        foreach (var channel in _channels.Values)
        {
            channel.RefreshBuffered();
        }
    }
}
