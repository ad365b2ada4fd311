using System.Diagnostics.Metrics;

namespace Enslavism.SlaveHost;

/// <summary>Instruments of one slave connection, on the meter <see cref="MeterName"/>.</summary>
internal sealed class SlaveMetrics : IDisposable
{
    public const string MeterName = "Enslavism.SlaveHost";

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _malformedFrames;
    private readonly Counter<long> _outgoingDropped;
    private readonly Counter<long> _offers;
    private readonly Counter<long> _candidatesDropped;
    private readonly Counter<long> _handlerFailures;
    private readonly UpDownCounter<long> _activeClients;

    public SlaveMetrics(IMeterFactory? meterFactory)
    {
        Meter meter;
        if (meterFactory is null)
        {
            _ownedMeter = new Meter(MeterName);
            meter = _ownedMeter;
        }
        else
        {
            meter = meterFactory.Create(MeterName);
        }

        _framesReceived = meter.CreateCounter<long>("enslavism.slave.frames_received", "{frame}", "Signaling frames received from the master.");
        _framesSent = meter.CreateCounter<long>("enslavism.slave.frames_sent", "{frame}", "Signaling frames sent to the master.");
        _malformedFrames = meter.CreateCounter<long>("enslavism.slave.malformed_frames", "{frame}", "Frames from the master that were discarded, by error kind.");
        _outgoingDropped = meter.CreateCounter<long>("enslavism.slave.outgoing_dropped", "{frame}", "Frames not sent because the outgoing queue was full or closed.");
        _offers = meter.CreateCounter<long>("enslavism.slave.offers", "{offer}", "Offers received, by outcome.");
        _candidatesDropped = meter.CreateCounter<long>("enslavism.slave.candidates_dropped", "{candidate}", "ICE candidates dropped, by reason.");
        _handlerFailures = meter.CreateCounter<long>("enslavism.slave.handler_failures", "{exception}", "Application event handlers that threw, by event.");
        _activeClients = meter.CreateUpDownCounter<long>("enslavism.slave.active_clients", "{client}", "Client sessions currently held.");
    }

    public void FrameReceived() => _framesReceived.Add(1);

    public void FrameSent() => _framesSent.Add(1);

    public void MalformedFrame(string kind) => _malformedFrames.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void OutgoingDropped() => _outgoingDropped.Add(1);

    public void Offer(string outcome) => _offers.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void CandidateDropped(string reason) => _candidatesDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void HandlerFailed(string eventName) => _handlerFailures.Add(1, new KeyValuePair<string, object?>("event", eventName));

    public void ClientOpened() => _activeClients.Add(1);

    public void ClientClosed() => _activeClients.Add(-1);

    public void Dispose() => _ownedMeter?.Dispose();
}
