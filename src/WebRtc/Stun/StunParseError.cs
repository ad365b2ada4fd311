namespace Enslavism.WebRtc.Stun;

/// <summary>Why a datagram is not an acceptable STUN message.</summary>
public enum StunParseErrorReason
{
    None = 0,
    TooShort,
    NotStun,
    BadMagicCookie,
    BadLength,
    TooLarge,
    AttributeTruncated,
    TooManyAttributes,
    InvalidAttribute,
    FingerprintNotLast,
}

/// <summary>Typed parse failure: a reason for code and a message for logs.</summary>
public readonly record struct StunParseError(StunParseErrorReason Reason, string Message)
{
    public static StunParseError None => new(StunParseErrorReason.None, string.Empty);
}
