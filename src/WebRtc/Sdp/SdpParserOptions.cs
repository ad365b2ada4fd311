namespace Enslavism.WebRtc.Sdp;

/// <summary>Input limits of <see cref="SdpOfferParser"/>; offers arrive from browsers through the master, untrusted.</summary>
public sealed record SdpParserOptions
{
    public static SdpParserOptions Default { get; } = new();

    /// <summary>Largest offer in characters (SDP is ASCII in practice). Browser data-channel offers are &lt; 2 KiB.</summary>
    public int MaxInputChars { get; init; } = 64 * 1024;

    public int MaxLines { get; init; } = 1024;

    public int MaxLineLength { get; init; } = 4096;

    public int MaxMediaSections { get; init; } = 32;

    /// <summary>Most <c>a=candidate</c> lines kept for the data section.</summary>
    public int MaxCandidates { get; init; } = 64;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInputChars, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLines, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMediaSections, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxCandidates);
    }
}
