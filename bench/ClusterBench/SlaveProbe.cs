using Enslavism.Signaling;

namespace Enslavism.Bench.Cluster;

/// <summary>A slave that answers every offer at once with a fixed SDP, as a game server's signaling would.</summary>
internal sealed class SlaveProbe : IAsyncDisposable
{
    private long _offers;

    private SlaveProbe(BenchNode node, BenchPeer peer, string userData)
    {
        Node = node;
        Peer = peer;
        UserData = userData;
    }

    public BenchNode Node { get; }

    public BenchPeer Peer { get; }

    /// <summary>The JSON this slave registers with: unique per slave, so clients can tell which AddSlaves is its.</summary>
    public string UserData { get; }

    public long Offers => Interlocked.Read(ref _offers);

    /// <summary>Connects and starts answering; does not register yet, so the caller can time the Register alone.</summary>
    public static async Task<SlaveProbe> ConnectAsync(BenchNode node, string name)
    {
        var probe = new SlaveProbe(node, await node.ConnectSlaveAsync(), $$"""{"bench":"{{name}}"}""");
        probe.Peer.OnMessage = probe.OnMessage;
        probe.Peer.Start();
        return probe;
    }

    public Task RegisterAsync() => Peer.SendAsync(new Register(JsonUserData.Parse(UserData)));

    public ValueTask DisposeAsync() => Peer.DisposeAsync();

    private AnswerToClient? OnMessage(SignalingMessage message, long arrived)
    {
        if (message is OfferFromClient offer)
        {
            Interlocked.Increment(ref _offers);
            return new AnswerToClient(offer.ClientId, Sdp.NewAnswer());
        }

        return null;
    }
}

/// <summary>Realistically sized SDP bodies (a data-channel-only offer/answer is about 400–600 bytes).</summary>
internal static class Sdp
{
    private static long _sessions = 4611731400430051336;

    /// <summary>
    /// An offer with a session id of its own, as a browser's offers have. (Identical frames are not equivalent on the
    /// cluster relay: see the duplicates scenario.)
    /// </summary>
    public static string NewOffer() =>
        $"v=0\r\no=- {Interlocked.Increment(ref _sessions)} 2 IN IP4 127.0.0.1\r\n" + OfferBody;

    /// <summary>The same offer every time (a retransmission).</summary>
    public static readonly string FixedOffer = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" + OfferBody;

    private const string OfferBody =
        "s=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "a=extmap-allow-mixed\r\na=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
        "c=IN IP4 0.0.0.0\r\na=ice-ufrag:bnch\r\na=ice-pwd:benchbenchbenchbenchbe\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    /// <summary>An answer with a session id of its own, as every real answer has.</summary>
    public static string NewAnswer() =>
        $"v=0\r\no=- {Interlocked.Increment(ref _sessions)} 2 IN IP4 127.0.0.1\r\n" + AnswerBody;

    private const string AnswerBody =
        "s=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=ice-lite\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 127.0.0.1\r\na=ice-ufrag:slav\r\n" +
        "a=ice-pwd:slaveslaveslaveslavesl\r\n" +
        "a=fingerprint:sha-256 0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0\r\n" +
        "a=setup:passive\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";
}
