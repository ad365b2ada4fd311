using System.Net;
using System.Net.Sockets;
using Enslavism.WebRtc.Host;

namespace Enslavism.WebRtc.Tests.Host;

public sealed class DatagramSourceTests
{
    [Fact]
    public void MappedIpv4OnDualModeSocket_IsUnmapped()
    {
        var source = new DatagramSource(AddressFamily.InterNetworkV6);
        Fill(source, new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 5000));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 5000), source.RemoteEndPoint());
    }

    [Fact]
    public void SameSourceTwice_ReusesTheEndPoint()
    {
        var source = new DatagramSource(AddressFamily.InterNetwork);
        Fill(source, new IPEndPoint(IPAddress.Loopback, 4000));
        var first = source.RemoteEndPoint();
        Fill(source, new IPEndPoint(IPAddress.Loopback, 4000));
        Assert.Same(first, source.RemoteEndPoint());
    }

    [Fact]
    public void OtherSource_GivesItsOwnEndPoint()
    {
        var source = new DatagramSource(AddressFamily.InterNetwork);
        Fill(source, new IPEndPoint(IPAddress.Loopback, 4000));
        _ = source.RemoteEndPoint();
        Fill(source, new IPEndPoint(IPAddress.Loopback, 4001));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4001), source.RemoteEndPoint());
    }

    private static void Fill(DatagramSource source, IPEndPoint remote)
    {
        var serialized = remote.Serialize();
        serialized.Buffer.Span[..serialized.Size].CopyTo(source.Address.Buffer.Span);
        source.Address.Size = serialized.Size;
    }
}
