using System.Threading.Channels;
using Enslavism.Grains;
using Enslavism.Signaling;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>Stands for the socket side of a slave or client: records what the grain delivered.</summary>
public sealed class RecordingEndpoint : ISlaveEndpoint, IClientEndpoint
{
    private readonly Channel<SignalingMessage> _received = Channel.CreateUnbounded<SignalingMessage>();

    public ValueTask<bool> DeliverAsync(SignalingMessage message) => ValueTask.FromResult(_received.Writer.TryWrite(message));

    public async Task<SignalingMessage> ReceiveAsync(TimeSpan timeout) =>
        await _received.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    public bool TryReceive(out SignalingMessage? message) => _received.Reader.TryRead(out message);
}
