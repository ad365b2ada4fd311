namespace Enslavism.SlaveHost;

/// <summary>
/// An offer was accepted. Raised before the answer leaves, so handlers attached to <see cref="Client"/> see every data
/// channel the client opens.
/// </summary>
public sealed class ClientConnectedEventArgs(ClientConnection client) : EventArgs
{
    public ClientConnection Client { get; } = client;
}
