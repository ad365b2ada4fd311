namespace Enslavism.WebRtc.Sdp;

/// <summary>
/// One <c>m=</c> section of the offer, RFC 8866 §5.14. Every section is kept (not only the data one) because the
/// answer must repeat each offered m-line in order, rejecting the others with port 0 (RFC 3264 §6).
/// </summary>
public sealed record SdpMediaDescription(string Media, int Port, string Protocol, IReadOnlyList<string> Formats,
    string? Mid, bool BundleOnly);
