using Enslavism.Grains;
using Enslavism.Signaling;
using Microsoft.Extensions.Logging;

namespace Enslavism.Gateway.Connections;

/// <summary>What every connection needs from the host, resolved once per endpoint.</summary>
internal sealed record ConnectionServices(
    EnslavismMasterOptions Options,
    SignalingLimits Limits,
    IMasterGrainFactory Grains,
    EnslavismMasterMetrics Metrics,
    ILogger Logger,
    CancellationToken Stopping);
