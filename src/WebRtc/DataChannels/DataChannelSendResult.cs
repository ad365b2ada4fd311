namespace Enslavism.WebRtc.DataChannels;

/// <summary>Outcome of <see cref="DataChannel.Send(TimeSpan, ReadOnlySpan{byte})"/>.</summary>
public enum DataChannelSendResult
{
    Queued,
    NotOpen,
    MessageTooLarge,
    BufferFull,
    Failed,
}
