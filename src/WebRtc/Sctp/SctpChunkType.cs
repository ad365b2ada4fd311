namespace Enslavism.WebRtc.Sctp;

/// <summary>Chunk type codes, RFC 9260 §3.2 (plus RFC 6525 RE-CONFIG and RFC 3758 FORWARD-TSN).</summary>
public enum SctpChunkType : byte
{
    Data = 0,
    Init = 1,
    InitAck = 2,
    Sack = 3,
    Heartbeat = 4,
    HeartbeatAck = 5,
    Abort = 6,
    Shutdown = 7,
    ShutdownAck = 8,
    Error = 9,
    CookieEcho = 10,
    CookieAck = 11,
    ShutdownComplete = 14,
    ReConfig = 130,
    ForwardTsn = 192,
}
