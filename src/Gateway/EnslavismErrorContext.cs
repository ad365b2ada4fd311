using Enslavism.Grains;
using Enslavism.Signaling;

namespace Enslavism.Gateway;

/// <summary>What went wrong with one peer. The master has already closed that peer; others are unaffected.</summary>
public sealed class EnslavismErrorContext
{
    internal EnslavismErrorContext(EntityKind kind, uint id, EnslavismErrorKind error, string message, SignalingErrorKind? signalingError = null, Exception? exception = null)
    {
        Kind = kind;
        Id = id;
        Error = error;
        Message = message;
        SignalingError = signalingError;
        Exception = exception;
    }

    public EntityKind Kind { get; }

    public uint Id { get; }

    public EnslavismErrorKind Error { get; }

    /// <summary>For <see cref="EnslavismErrorKind.ProtocolError"/> caused by an undecodable frame: why it failed.</summary>
    public SignalingErrorKind? SignalingError { get; }

    public string Message { get; }

    public Exception? Exception { get; }
}

/// <summary>The kinds of failure reported through <see cref="EnslavismMasterEvents.OnError"/>.</summary>
public enum EnslavismErrorKind
{
    /// <summary>A malformed frame, a text frame, or a message type the peer's role never sends.</summary>
    ProtocolError,

    /// <summary>A frame above <see cref="EnslavismMasterOptions.MaxFrameBytes"/> or user data above the limit.</summary>
    MessageTooBig,

    /// <summary>The peer did not read fast enough and its send queue overflowed.</summary>
    SlowConsumer,

    /// <summary>The connection failed unexpectedly.</summary>
    ConnectionFailed,
}
