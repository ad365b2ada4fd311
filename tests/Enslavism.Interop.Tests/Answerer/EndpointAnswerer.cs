using System.Net;
using Enslavism.WebRtc.Host;

namespace Enslavism.Interop.Tests.Answerer;

/// <summary>
/// The product answerer: <see cref="WebRtcEndpoint"/> bound to 127.0.0.1 with <c>LoopbackOnly</c>, every data
/// channel the peer opens wired to <see cref="EchoBehaviour"/> (events arrive on the endpoint's dispatcher thread).
/// </summary>
public sealed class EndpointAnswerer : IInteropAnswerer
{
    private readonly WebRtcEndpoint _endpoint;
    private readonly EchoBehaviour _app;
    private readonly List<PeerConnection> _peers = [];

    /// <param name="bindAddress">127.0.0.1 (then only loopback sources are accepted) unless a test runs inside its
    /// own isolated namespace with a private address (Firefox gathers no loopback candidate).</param>
    public EndpointAnswerer(EchoBehaviour app, IPAddress? bindAddress = null)
    {
        _app = app;
        var address = bindAddress ?? IPAddress.Loopback;
        _endpoint = new WebRtcEndpoint(new WebRtcEndpointOptions
        {
            BindEndPoint = new IPEndPoint(address, 0),
            LoopbackOnly = IPAddress.IsLoopback(address),
        });
    }

    public WebRtcEndpoint Endpoint => _endpoint;

    public async Task<string> AcceptOfferAsync(string offerSdp, CancellationToken cancellationToken)
    {
        var (answer, peer) = await _endpoint.AcceptOfferAsync(offerSdp, cancellationToken).ConfigureAwait(false);
        lock (_peers)
        {
            _peers.Add(peer);
        }

        _app.Note($"offer accepted, ufrag {peer.LocalUfrag}");
        peer.Connected += p => _app.Note($"connected via {p.RemoteEndPoint}");
        peer.Closed += (_, closed) => _app.Note($"session closed: {closed}");
        peer.DataChannel += channel =>
        {
            var adapter = new EndpointEchoChannel(channel);
            channel.Open += _ => _app.OnOpened(adapter);
            channel.Message += (_, message) => _app.OnMessage(adapter, message.IsText, message.Data);
            channel.Close += _ => _app.OnClosed(adapter);
            channel.Error += (_, error) => _app.Note($"error on {channel}: {error}");
        };
        return answer;
    }

    public string Describe() => $"endpoint: live sessions {_endpoint.LiveSessions}, dropped sources {_endpoint.DroppedSources}, dropped inputs {_endpoint.DroppedInputs}, unrouted {_endpoint.Unrouted}";

    public async ValueTask DisposeAsync() => await _endpoint.DisposeAsync().ConfigureAwait(false);

    private sealed class EndpointEchoChannel(WebRtcDataChannel channel) : IEchoChannel
    {
        public string Label => channel.Label;

        public string? Send(bool isText, byte[] data)
        {
            try
            {
                if (isText)
                {
                    channel.Send(System.Text.Encoding.UTF8.GetString(data));
                }
                else
                {
                    channel.Send(data);
                }

                return null;
            }
            catch (InvalidOperationException ex)
            {
                return ex.Message;
            }
        }

        public void Close() => channel.CloseChannel();

        public override string ToString() => $"{channel} ordered={channel.Ordered} {channel.Reliability}";
    }
}
