namespace Enslavism.WebRtc.Core;

/// <summary>What a UDP datagram carries, by its first byte (RFC 7983 §7, as updated by RFC 9443).</summary>
public enum DatagramKind
{
    /// <summary>Empty, or a first byte outside the ranges we serve (ZRTP 16–19, TURN channel 64–79, unassigned): drop.</summary>
    Unknown = 0,

    /// <summary>First byte 0–3: STUN.</summary>
    Stun,

    /// <summary>First byte 20–63: DTLS.</summary>
    Dtls,

    /// <summary>First byte 128–191: RTP/RTCP (a data-channel-only endpoint ignores it).</summary>
    Rtp,
}
