using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>Where a client-session grain delivers signaling for its client (the mirror of <see cref="ISlaveEndpoint"/>).</summary>
public interface IClientEndpoint
{
    ValueTask<bool> DeliverAsync(SignalingMessage message);
}
