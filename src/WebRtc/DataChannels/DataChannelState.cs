namespace Enslavism.WebRtc.DataChannels;

/// <summary>Channel lifecycle, mirroring RTCDataChannel.readyState.</summary>
public enum DataChannelState
{
    Connecting,
    Open,
    Closing,
    Closed,
}

/// <summary>Outcome of <see cref="DataChannel.Send(TimeSpan, ReadOnlySpan{byte})"/>.</summary>
public enum DataChannelSendResult
{
    Queued,
    NotOpen,
    MessageTooLarge,
    BufferFull,
    Failed,
}
