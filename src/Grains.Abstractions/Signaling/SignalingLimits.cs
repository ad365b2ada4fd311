namespace Enslavism.Signaling;

/// <summary>Limits applied while decoding. The defaults suit a master receiving from slaves and clients.</summary>
public sealed record SignalingLimits
{
    /// <summary>Default for <see cref="MaxFrameBytes"/>: 64 KiB, room for any browser SDP and the largest user data.</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024 + 16;

    /// <summary>Limits for a master decoding frames from untrusted slaves and clients.</summary>
    public static SignalingLimits Default { get; } = new();

    /// <summary>Limits for a client or slave decoding frames from its master, which may send large slave-list snapshots.</summary>
    public static SignalingLimits FromMaster { get; } = new() { MaxFrameBytes = 16 * 1024 * 1024 };

    /// <summary>Frames longer than this are rejected with <see cref="SignalingErrorKind.TooLarge"/>.</summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;
}
