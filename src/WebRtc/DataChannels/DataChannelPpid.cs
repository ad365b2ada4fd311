namespace Enslavism.WebRtc.DataChannels;

/// <summary>SCTP payload protocol identifiers of WebRTC data channels, RFC 8831 §8 (and RFC 8832 §8.1 for DCEP).</summary>
public enum DataChannelPpid : uint
{
    Dcep = 50,
    WebRtcString = 51,

    /// <summary>Deprecated "WebRTC Binary Partial"; received as binary.</summary>
    WebRtcBinaryPartial = 52,
    WebRtcBinary = 53,

    /// <summary>Deprecated "WebRTC String Partial"; received as a string.</summary>
    WebRtcStringPartial = 54,

    /// <summary>Empty string: the payload is one 0x00 byte that the receiver discards.</summary>
    WebRtcStringEmpty = 56,

    /// <summary>Empty binary message, same one-byte convention.</summary>
    WebRtcBinaryEmpty = 57,
}
