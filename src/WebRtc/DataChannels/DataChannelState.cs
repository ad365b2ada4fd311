namespace Enslavism.WebRtc.DataChannels;

/// <summary>Channel lifecycle, mirroring RTCDataChannel.readyState.</summary>
public enum DataChannelState
{
    Connecting,
    Open,
    Closing,
    Closed,
}
