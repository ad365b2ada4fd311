namespace Enslavism.WebRtc.DataChannels;

public enum DcepParseErrorKind
{
    None = 0,
    TooShort,
    UnknownMessageType,
    UnknownChannelType,
    BadLength,
    InvalidUtf8,
}

/// <summary>Typed DCEP decode failure.</summary>
public readonly record struct DcepParseError(DcepParseErrorKind Kind, string Message);
