namespace Enslavism.WebRtc.Sctp;

/// <summary>Parameter type codes used by this subset (RFC 9260 §3.3.2, RFC 3758 §3.1, RFC 5061 §4.2.7, RFC 6525 §4).</summary>
public enum SctpParameterType : ushort
{
    HeartbeatInfo = 1,
    StateCookie = 7,
    UnrecognizedParameter = 8,
    OutgoingSsnResetRequest = 13,
    IncomingSsnResetRequest = 14,
    ReConfigResponse = 16,
    ZeroChecksumAcceptable = 0x8001,
    SupportedExtensions = 0x8008,
    ForwardTsnSupported = 0xC000,
}
