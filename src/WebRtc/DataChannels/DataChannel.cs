using System.Text;

namespace Enslavism.WebRtc.DataChannels;

/// <summary>One data channel on an SCTP stream (RFC 8831). Created and driven by its <see cref="DataChannelManager"/>.</summary>
public sealed class DataChannel
{
    private readonly DataChannelManager _manager;

    internal DataChannel(DataChannelManager manager, ushort id, DataChannelOptions options, bool negotiated)
    {
        _manager = manager;
        Id = id;
        Options = options;
        Negotiated = negotiated;
    }

    public ushort Id { get; }

    public DataChannelOptions Options { get; }

    public string Label => Options.Label;

    public string Protocol => Options.Protocol;

    public bool Ordered => Options.Ordered;

    public Reliability Reliability => Options.Reliability;

    /// <summary>Pre-negotiated (same id and options configured on both sides, no DCEP).</summary>
    public bool Negotiated { get; }

    public DataChannelState State { get; internal set; } = DataChannelState.Connecting;

    /// <summary>Bytes queued on this channel and not yet handed to the network.</summary>
    public long BufferedAmount => _manager.BufferedAmountOf(this);

    public long BufferedAmountLowThreshold { get; set; }

    /// <summary>
    /// RFC 8832 §6: until the peer's ACK arrives (or for negotiated channels, never needed) user data goes ordered so
    /// it cannot overtake the OPEN.
    /// </summary>
    internal bool AwaitingAck { get; set; }

    internal bool OpenSent { get; set; }

    internal long LastReportedBuffered { get; set; }

    public DataChannelSendResult Send(TimeSpan now, ReadOnlySpan<byte> data) => _manager.Send(now, this, data, isString: false);

    public DataChannelSendResult Send(TimeSpan now, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _manager.Send(now, this, bytes, isString: true, owned: bytes);
    }

    /// <summary>Sends <paramref name="data"/> (UTF-8 text when <paramref name="isString"/>) without copying it: the caller gives up the array.</summary>
    internal DataChannelSendResult SendOwned(TimeSpan now, byte[] data, bool isString) => _manager.Send(now, this, data, isString, owned: data);

    /// <summary>Closes via an SCTP stream reset (RFC 8831 §6.7); <see cref="DataChannelClosed"/> follows.</summary>
    public void Close(TimeSpan now) => _manager.Close(now, this);

    public override string ToString() => $"DataChannel {Id} '{Label}' {State}";
}
