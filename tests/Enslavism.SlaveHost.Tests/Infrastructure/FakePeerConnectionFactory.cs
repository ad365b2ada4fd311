using System.Threading.Channels;
using Enslavism.SlaveHost.PeerConnections;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>Creates <see cref="FakePeerConnection"/>s; by default each answers "answer:{offer}" at once.</summary>
internal sealed class FakePeerConnectionFactory : IPeerConnectionFactory
{
    private readonly Channel<FakePeerConnection> _created = Channel.CreateUnbounded<FakePeerConnection>();

    /// <summary>When true, peers answer only when the test calls <see cref="FakePeerConnection.Answer"/>.</summary>
    public bool ManualAnswers { get; set; }

    public Exception? CreationError { get; set; }

    public int CreatedCount { get; private set; }

    public IPeerConnection CreatePeerConnection(uint clientId)
    {
        if (CreationError is not null)
        {
            throw CreationError;
        }

        CreatedCount++;
        var peer = new FakePeerConnection(clientId);
        if (!ManualAnswers)
        {
            _ = peer.Offer.ContinueWith(t => peer.Answer("answer:" + t.Result), TaskScheduler.Default);
        }

        _created.Writer.TryWrite(peer);
        return peer;
    }

    public Task<FakePeerConnection> NextAsync() => _created.Reader.ReadAsync().AsTask().Within("a peer connection to be created");
}
