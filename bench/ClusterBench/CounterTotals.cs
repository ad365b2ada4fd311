using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Enslavism.Bench.Cluster;

/// <summary>
/// Sums every <c>long</c> counter of the Enslavism meters (all nodes of this process together), keyed by instrument and
/// tags, so a scenario can report what the nodes themselves counted (relay drops and their reason, evictions, ...).
/// </summary>
internal sealed class CounterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public CounterTotals()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Enslavism", StringComparison.Ordinal) && instrument is Counter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $" {tag.Key}={tag.Value}";
            }

            _totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_totals, StringComparer.Ordinal);

    /// <summary>Counters that grew since <paramref name="before"/>, with their growth.</summary>
    public IReadOnlyDictionary<string, long> Since(IReadOnlyDictionary<string, long> before) =>
        new SortedDictionary<string, long>(
            Snapshot().Where(kv => kv.Value != before.GetValueOrDefault(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key)),
            StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}
