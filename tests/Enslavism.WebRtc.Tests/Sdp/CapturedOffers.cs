namespace Enslavism.WebRtc.Tests.Sdp;

/// <summary>
/// Offers captured from the real offering peers in shared/interop-peers (Chromium 156, @roamhq/wrtc = libwebrtc,
/// node-datachannel = libdatachannel, werift 0.24.4, aiortc 1.4.0, pion 3.1.56), inside a loopback-only netns.
/// </summary>
internal static class CapturedOffers
{
    public static string Load(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sdp", "Offers", name + ".sdp"));

    public static readonly string[] Names = ["chromium", "libwebrtc", "libdatachannel", "werift", "aiortc", "pion"];
}
