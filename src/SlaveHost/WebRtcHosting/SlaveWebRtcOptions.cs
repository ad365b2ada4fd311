namespace Enslavism.SlaveHost.WebRtcHosting;

/// <summary>Where and how a slave accepts WebRTC clients. Checked by <see cref="SlaveWebRtcOptionsValidator"/>.</summary>
public sealed class SlaveWebRtcOptions
{
    /// <summary>Local address of the UDP socket. The default is 0.0.0.0 (every IPv4 interface).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>UDP port, or the first of a range with <see cref="PortRangeEnd"/>. The default 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Last port of the range to try after <see cref="Port"/> (inclusive); 0 means the single <see cref="Port"/>.</summary>
    public int PortRangeEnd { get; set; }

    /// <summary>
    /// Addresses written as host candidates into answers (the address browsers send to). Empty: 127.0.0.1 when bound to
    /// any or loopback, otherwise the bound address. A slave reachable from other machines must list its public address.
    /// </summary>
    public IList<string> AnnouncedAddresses { get; } = [];

    /// <summary>Drops datagrams from non-loopback sources (local demos and tests). The default is false.</summary>
    public bool LoopbackOnly { get; set; }

    /// <summary>WebRTC sessions alive at once on the socket. The default is 1000.</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>DTLS handshakes running at once (each needs a worker thread); others wait. The default is 32.</summary>
    public int MaxConcurrentHandshakes { get; set; } = 32;

    /// <summary>Largest message a client may send (SDP <c>a=max-message-size</c>). The default is 256 KiB.</summary>
    public long MaxMessageSize { get; set; } = 256 * 1024;
}
