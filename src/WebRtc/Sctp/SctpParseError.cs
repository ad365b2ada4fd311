namespace Enslavism.WebRtc.Sctp;

/// <summary>Why an SCTP packet, chunk or parameter could not be decoded.</summary>
public enum SctpParseErrorKind
{
    None = 0,
    TooShort,
    BadChecksum,
    BadLength,
    InvalidValue,
}

/// <summary>Typed decode failure; parsers return it instead of throwing on hostile input.</summary>
public readonly record struct SctpParseError(SctpParseErrorKind Kind, string Message)
{
    public static SctpParseError None => default;

    internal static SctpParseError TooShort(string what) => new(SctpParseErrorKind.TooShort, what + " is truncated");

    internal static SctpParseError BadLength(string what) => new(SctpParseErrorKind.BadLength, what + " has an invalid length");

    internal static SctpParseError Invalid(string message) => new(SctpParseErrorKind.InvalidValue, message);
}
