using System.Net;

namespace Enslavism.SlaveHost;

/// <summary>The slave could not open its signaling connection to the master.</summary>
public class SlaveConnectException : Exception
{
    public SlaveConnectException()
    {
    }

    public SlaveConnectException(string message)
        : base(message)
    {
    }

    public SlaveConnectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public SlaveConnectException(string message, HttpStatusCode? statusCode, Exception? innerException)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>The HTTP status the master answered the upgrade with, when it answered at all.</summary>
    public HttpStatusCode? StatusCode { get; }
}
