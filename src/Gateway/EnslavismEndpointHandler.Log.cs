using Enslavism.Grains;
using Microsoft.Extensions.Logging;

namespace Enslavism.Gateway;

internal sealed partial class EnslavismEndpointHandler
{
    /// <summary>Admission logs; EventIds 1–99 are stable.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Refused a {Kind} from origin {Origin}")]
        public static partial void OriginRefused(ILogger logger, EntityKind kind, string origin);

        [LoggerMessage(2, LogLevel.Information, "Auth hook rejected a {Kind}: {Reason}")]
        public static partial void AuthRejected(ILogger logger, EntityKind kind, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Auth hook for a {Kind} took longer than {Timeout}")]
        public static partial void AuthTimedOut(ILogger logger, EntityKind kind, TimeSpan timeout);

        [LoggerMessage(4, LogLevel.Error, "Auth hook for a {Kind} failed")]
        public static partial void AuthHookFailed(ILogger logger, Exception exception, EntityKind kind);

        [LoggerMessage(5, LogLevel.Warning, "Refused a {Kind}: the limit of {Limit} connections is reached")]
        public static partial void CapacityReached(ILogger logger, EntityKind kind, int limit);

        [LoggerMessage(6, LogLevel.Error, "Refused a {Kind}: {Detail}")]
        public static partial void IdsExhausted(ILogger logger, EntityKind kind, string detail);
    }
}
