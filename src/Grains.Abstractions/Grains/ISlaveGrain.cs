using Enslavism.Signaling;

namespace Enslavism.Grains;

/// <summary>
/// One connected slave, keyed by its slave id. Calls run one at a time (single-threaded turns).
/// Lifecycle: <see cref="AttachAsync"/> when the socket is accepted, <see cref="RegisterAsync"/> when it sends Register
/// (only then is it listed), <see cref="DetachAsync"/> when the socket closes (it leaves the list).
/// </summary>
public interface ISlaveGrain
{
    ValueTask AttachAsync(ISlaveEndpoint endpoint);

    ValueTask RegisterAsync(JsonUserData userData);

    /// <summary>
    /// Delivers a message from client <paramref name="fromClientId"/>, already rewritten for the slave
    /// (<see cref="OfferFromClient"/>, <see cref="IceCandidateFromClient"/>, and the master-made version-2
    /// <see cref="ClientInfo"/> and <see cref="ClientLeft"/>, which a version-1 slave endpoint swallows). False when the slave is gone.
    /// </summary>
    ValueTask<bool> DeliverFromClientAsync(uint fromClientId, SignalingMessage message);

    ValueTask DetachAsync();
}
