using Enslavism.WebRtc.Host;

namespace Enslavism.SlaveHost;

/// <summary>The client opened a data channel. Attach the channel's handlers inside the handler to miss no message.</summary>
public sealed class DataChannelOpenedEventArgs(WebRtcDataChannel channel) : EventArgs
{
    /// <summary>The channel: <c>Message</c>/<c>Close</c>/<c>BufferedAmountLow</c> events, <c>Send</c> text or bytes, <c>BufferedAmount</c>.</summary>
    public WebRtcDataChannel Channel { get; } = channel;
}
