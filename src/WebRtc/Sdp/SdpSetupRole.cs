namespace Enslavism.WebRtc.Sdp;

/// <summary>The offerer's <c>a=setup</c> value (RFC 8842 §5, RFC 4145 §4).</summary>
public enum SdpSetupRole
{
    /// <summary>Absent: RFC 4145 §4.1 makes the offerer "active", i.e. DTLS client, which suits us.</summary>
    Unspecified,
    ActPass,
    Active,
    Passive,
    HoldConn,
}
