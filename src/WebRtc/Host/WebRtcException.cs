using Enslavism.WebRtc.Session;

namespace Enslavism.WebRtc.Host;

/// <summary>A request to the host API was refused; <see cref="Error"/> has the typed reason.</summary>
public sealed class WebRtcException : Exception
{
    public WebRtcException()
        : this(new SessionError(SessionErrorReason.SessionClosed, "refused"))
    {
    }

    public WebRtcException(string message)
        : this(new SessionError(SessionErrorReason.SessionClosed, message))
    {
    }

    public WebRtcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new SessionError(SessionErrorReason.SessionClosed, message);
    }

    public WebRtcException(SessionError error)
        : base(error?.ToString())
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public SessionError Error { get; }
}
