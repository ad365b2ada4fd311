namespace Enslavism.WebRtc.DataChannels;

/// <summary>How a channel delivers (RFC 8831 §6.1) and what DCEP announces (RFC 8832 §5.1).</summary>
public sealed record DataChannelOptions
{
    public string Label { get; init; } = "";

    public string Protocol { get; init; } = "";

    public bool Ordered { get; init; } = true;

    public Reliability Reliability { get; init; } = Reliability.Reliable;

    /// <summary>DCEP priority: 128 below normal, 256 normal (Chrome's default), 512 high, 1024 extra high.</summary>
    public ushort Priority { get; init; } = 256;
}

/// <summary>Connection-level settings of a <see cref="DataChannelManager"/>.</summary>
public sealed record DataChannelManagerOptions
{
    /// <summary>
    /// RFC 8832 §6: the DTLS server opens odd stream ids, the client even. We are the DTLS server by default. Peers
    /// that ignore the rule are tolerated on inbound OPENs.
    /// </summary>
    public bool UseOddStreamIds { get; init; } = true;

    /// <summary>Channels open at once (both sides); inbound OPENs past it are refused with a stream reset.</summary>
    public int MaxChannels { get; init; } = 1024;
}
