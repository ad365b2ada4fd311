namespace Enslavism.WebRtc.Dtls;

/// <summary>Record content types, RFC 5246 §6.2.1 (reused by DTLS 1.2, RFC 6347 §4.1); heartbeat from RFC 6520.</summary>
public enum DtlsContentType : byte
{
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
    Heartbeat = 24,
}
