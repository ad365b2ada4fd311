namespace Enslavism.WebRtc.Core;

/// <summary>
/// Classifies an inbound datagram by its first byte, per RFC 7983 §7 (updated by RFC 9443 §3):
/// <code>
///               +----------------+
///               |        [0..3] -+--&gt; STUN
///               |      [16..19] -+--&gt; ZRTP          (dropped here)
///   packet --&gt;  |      [20..63] -+--&gt; DTLS
///               |      [64..79] -+--&gt; TURN Channel  (dropped here)
///               |    [128..191] -+--&gt; RTP/RTCP
///               +----------------+     anything else: drop
/// </code>
/// </summary>
public static class Demux
{
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return DatagramKind.Unknown;
        }

        return datagram[0] switch
        {
            <= 3 => DatagramKind.Stun,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 128 and <= 191 => DatagramKind.Rtp,
            _ => DatagramKind.Unknown,
        };
    }
}
