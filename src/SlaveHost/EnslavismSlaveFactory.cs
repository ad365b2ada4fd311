using System.Diagnostics.Metrics;
using Enslavism.SlaveHost.WebRtcHosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost;

/// <summary>Creates <see cref="EnslavismSlave"/>s from the container's validated options, logging, metrics and time.</summary>
public sealed class EnslavismSlaveFactory(
    IOptions<SlaveOptions> options,
    IOptions<SlaveWebRtcOptions> webRtcOptions,
    ILoggerFactory loggerFactory,
    IMeterFactory meterFactory,
    TimeProvider timeProvider)
{
    /// <summary>A new slave with its own UDP socket; the caller owns (and disposes) it.</summary>
    public EnslavismSlave Create() => new(options.Value, webRtcOptions.Value, loggerFactory, meterFactory, timeProvider);
}
