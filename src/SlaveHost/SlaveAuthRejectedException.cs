using System.Net;

namespace Enslavism.SlaveHost;

/// <summary>The master refused the slave's auth data: it answered the upgrade with 401 and a reason.</summary>
public sealed class SlaveAuthRejectedException : SlaveConnectException
{
    public SlaveAuthRejectedException()
        : this(string.Empty, HttpStatusCode.Unauthorized, null)
    {
    }

    public SlaveAuthRejectedException(string message)
        : base(message)
    {
        Reason = string.Empty;
    }

    public SlaveAuthRejectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = string.Empty;
    }

    public SlaveAuthRejectedException(string reason, HttpStatusCode statusCode, Exception? innerException)
        : base(reason.Length == 0 ? $"The master refused the slave ({(int)statusCode})." : $"The master refused the slave ({(int)statusCode}): {reason}", statusCode, innerException)
    {
        Reason = reason;
    }

    /// <summary>The reason the master gave (the response body, UTF-8, possibly cut at the configured size); empty if none.</summary>
    public string Reason { get; }
}
