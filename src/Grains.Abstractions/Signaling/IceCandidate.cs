using System.Text;

namespace Enslavism.Signaling;

/// <summary>
/// An ICE candidate as browsers describe it (<c>RTCIceCandidateInit</c>). The wire has no room for an empty
/// <see cref="SdpMid"/>: a zero sdpMid length means "no candidate" (end of candidates), so sdpMid must be 1–255 UTF-8 bytes.
/// An empty <see cref="Candidate"/> text is allowed; browsers use it to mark the end of candidates for one m-line.
/// </summary>
public sealed record IceCandidate
{
    public const int MaxSdpMidBytes = 255;

    public IceCandidate(string sdpMid, ushort sdpMLineIndex, string candidate)
    {
        ArgumentNullException.ThrowIfNull(sdpMid);
        ArgumentNullException.ThrowIfNull(candidate);
        var midBytes = Encoding.UTF8.GetByteCount(sdpMid);
        if (midBytes is 0 or > MaxSdpMidBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(sdpMid), midBytes, "sdpMid must be 1 to 255 UTF-8 bytes.");
        }

        SdpMid = sdpMid;
        SdpMLineIndex = sdpMLineIndex;
        Candidate = candidate;
    }

    public string SdpMid { get; }

    public ushort SdpMLineIndex { get; }

    public string Candidate { get; }
}
