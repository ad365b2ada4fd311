using System.Text;

namespace Enslavism.WebRtc.Host;

/// <summary>One received message: text (UTF-8, PPID 51/56) or binary (53/57).</summary>
public readonly record struct DataChannelMessage(bool IsText, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);
}
