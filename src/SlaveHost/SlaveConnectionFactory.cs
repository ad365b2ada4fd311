using System.Diagnostics.Metrics;
using Enslavism.SlaveHost.PeerConnections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost;

/// <summary>Creates <see cref="SlaveConnection"/>s wired to the container's options, logging, metrics and time.</summary>
public sealed class SlaveConnectionFactory(
    IPeerConnectionFactory peerConnectionFactory,
    IOptions<SlaveOptions> options,
    ILoggerFactory loggerFactory,
    IMeterFactory meterFactory,
    TimeProvider timeProvider)
{
    /// <summary>A new, not yet connected slave connection; set its handlers, then call <see cref="SlaveConnection.ConnectAsync"/>.</summary>
    public SlaveConnection Create() => new(peerConnectionFactory, options.Value, loggerFactory, meterFactory, timeProvider);
}
