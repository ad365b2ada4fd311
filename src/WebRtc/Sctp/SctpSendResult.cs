namespace Enslavism.WebRtc.Sctp;

/// <summary>Outcome of <see cref="SctpAssociation.Send"/>.</summary>
public enum SctpSendResult
{
    Queued,
    NotConnected,
    MessageTooLarge,
    BufferFull,
    InvalidStream,
    StreamResetting,
    EmptyMessage,
}
