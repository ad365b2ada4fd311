using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Enslavism.SlaveHost.Tests.Infrastructure;

/// <summary>Records long measurements of meters created by its own <see cref="IMeterFactory"/>, so parallel tests do not mix.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public MetricRecorder()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, MeterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            foreach (var tag in tags)
            {
                _sums.AddOrUpdate($"{instrument.Name}[{tag.Key}={tag.Value}]", value, (_, sum) => sum + value);
            }
        });
        _listener.Start();
    }

    public IMeterFactory MeterFactory { get; }

    /// <summary>Sum of an instrument, or of one tag value: <c>Sum("x", "kind", "TooLarge")</c>.</summary>
    public long Sum(string instrument, string? tagKey = null, string? tagValue = null) =>
        _sums.GetValueOrDefault(tagKey is null ? instrument : $"{instrument}[{tagKey}={tagValue}]");

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
