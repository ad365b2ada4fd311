using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>
/// One connected browser client, keyed by its client id. Calls run one at a time (single-threaded turns).
/// </summary>
public interface IClientSessionGrain
{
    ValueTask AttachAsync(IClientEndpoint endpoint);

    /// <summary>
    /// Delivers a message from slave <paramref name="fromSlaveId"/>, already rewritten for the client
    /// (<see cref="AnswerFromSlave"/>, <see cref="IceCandidateFromSlave"/>, <see cref="RejectFromSlave"/>). False when the client is gone.
    /// </summary>
    ValueTask<bool> DeliverFromSlaveAsync(uint fromSlaveId, SignalingMessage message);

    ValueTask DetachAsync();
}
