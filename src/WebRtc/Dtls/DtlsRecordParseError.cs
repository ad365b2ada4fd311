namespace Enslavism.WebRtc.Dtls;

/// <summary>Why bytes could not be read as a DTLS record header or datagram of records.</summary>
public enum DtlsRecordParseError
{
    None = 0,
    Empty,
    TruncatedHeader,
    UnknownContentType,
    NotDtlsVersion,
    FragmentTooLong,
    LengthExceedsDatagram,
    TooManyRecords,
}
