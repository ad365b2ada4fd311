using System.Diagnostics;

namespace Enslavism.Bench.Cluster;

/// <summary>What every scenario shares: the database, the long-lived nodes, the options and the results.</summary>
internal sealed class BenchContext
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private int _names;

    public required PostgresServer Postgres { get; init; }

    public required string ConnectionString { get; init; }

    /// <summary>The cluster nodes that live for the whole run.</summary>
    public required BenchNode[] Cluster { get; init; }

    /// <summary>One node on the in-memory provider: the same master without a cluster, started in the same run.</summary>
    public required BenchNode Anchor { get; init; }

    public required BenchOptions Options { get; init; }

    public required BenchResults Results { get; init; }

    public TimeSpan Timeout => Options.WaitTimeout;

    /// <summary>True once the run's budget is spent; scenarios then skip their remaining rounds.</summary>
    public bool OverBudget => _elapsed.Elapsed > TimeSpan.FromMinutes(Options.BudgetMinutes);

    public string NextName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _names)}";

    /// <summary>Connection string for a node logging in as its own role (so the bench can cut that node off alone).</summary>
    public string ConnectionStringFor(string role) => $"{ConnectionString};Username={role}";

    public void Add(ResultRow row)
    {
        Results.Rows.Add(row);
        Console.WriteLine($"  {row.Measure} | {row.Setup}: " +
                          (row.Latency is { } l ? $"p50 {l.P50:F2} p99 {l.P99:F2} max {l.Max:F2} ms (n={l.Count})" : $"{row.Value:F1} {row.Unit}") +
                          (row.Note is null ? "" : $" ({row.Note})"));
    }

    public void Problem(string text)
    {
        Results.Problems.Add(text);
        Console.WriteLine($"  PROBLEM: {text}");
    }
}
