namespace Enslavism.WebRtc.Dtls;

/// <summary>Why an SDP <c>a=fingerprint</c> value (RFC 8122 §5) could not be parsed.</summary>
public enum DtlsFingerprintParseError
{
    None = 0,
    Empty,
    MissingHashFunction,
    UnsupportedHashFunction,
    MalformedHex,
    WrongLength,
}
