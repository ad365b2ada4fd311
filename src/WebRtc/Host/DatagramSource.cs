using System.Net;
using System.Net.Sockets;

namespace Enslavism.WebRtc.Host;

/// <summary>
/// The source address of the datagram just received, as an <see cref="IPEndPoint"/> (IPv4-mapped addresses of a
/// dual-mode socket unmapped). Peers send in bursts, so the endpoint object is reused while the source stays the same.
/// </summary>
internal sealed class DatagramSource(AddressFamily family)
{
    private readonly SocketAddress _last = new(family);
    private readonly IPEndPoint _template = new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    private IPEndPoint? _lastEndPoint;

    /// <summary>Filled by <c>Socket.ReceiveFrom(Span, SocketFlags, SocketAddress)</c>.</summary>
    public SocketAddress Address { get; } = new(family);

    public IPEndPoint RemoteEndPoint()
    {
        if (_lastEndPoint is not null && Address.Equals(_last))
        {
            return _lastEndPoint;
        }

        var remote = (IPEndPoint)_template.Create(Address);
        if (remote.Address.IsIPv4MappedToIPv6)
        {
            remote = new IPEndPoint(remote.Address.MapToIPv4(), remote.Port);
        }

        Address.Buffer.Span[..Address.Size].CopyTo(_last.Buffer.Span);
        _last.Size = Address.Size;
        _lastEndPoint = remote;
        return remote;
    }
}
