namespace Enslavism.WebRtc.Stun;

/// <summary>Limits for <see cref="StunMessage.TryParse(ReadOnlySpan{byte}, StunParserOptions, out StunMessage?, out StunParseError)"/>.</summary>
public sealed record StunParserOptions
{
    public static StunParserOptions Default { get; } = new();

    /// <summary>Largest datagram accepted. ICE checks are ~100–200 bytes; 1500 leaves room for any sane extension.</summary>
    public int MaxMessageBytes { get; init; } = 1500;

    /// <summary>Most attributes accepted in one message.</summary>
    public int MaxAttributes { get; init; } = 32;

    public void Validate()
    {
        if (MaxMessageBytes is < StunMessage.HeaderLength or > 65535 + StunMessage.HeaderLength)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), MaxMessageBytes, "must be 20..65555");
        }

        if (MaxAttributes is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttributes), MaxAttributes, "must be 1..4096");
        }
    }
}
