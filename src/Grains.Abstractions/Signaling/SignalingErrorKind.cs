namespace Enslavism.Signaling;

/// <summary>Why a signaling frame could not be decoded. Stable: the TypeScript client and the golden vectors use these names.</summary>
public enum SignalingErrorKind
{
    /// <summary>The frame has no bytes.</summary>
    Empty,

    /// <summary>The type byte is not a message type of the negotiated protocol version.</summary>
    UnknownType,

    /// <summary>The frame ends inside a fixed-size field.</summary>
    Truncated,

    /// <summary>A length field points past the end of the frame.</summary>
    LengthOutOfRange,

    /// <summary>A text field is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>A JSON field is not exactly one well-formed JSON value.</summary>
    InvalidJson,

    /// <summary>Well-formed JSON with a value the message does not allow (e.g. an id outside the u32 range).</summary>
    InvalidValue,

    /// <summary>Bytes remain after a message that has a fixed end.</summary>
    TrailingBytes,

    /// <summary>The frame is larger than the configured limit.</summary>
    TooLarge,
}
