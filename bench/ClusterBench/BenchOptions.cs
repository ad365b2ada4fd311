using System.Globalization;

namespace Enslavism.Bench.Cluster;

/// <summary>Command line. Every count and duration here bounds the run.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: Enslavism.Bench.Cluster [--quick] [--nodes N] [--out file.json] [--rounds N] [--feed-rounds N]
                                       [--throughput-seconds S] [--failover-rounds N] [--restart-rounds N]
          --quick               smoke run: few rounds, short throughput windows
          --nodes N             cluster size (2..8, default 3)
          --rounds N            measured signaling round trips per setup (default 600)
          --feed-rounds N       slave registrations timed for the change feed (default 60)
          --throughput-seconds  measured window per throughput setup (default 5)
          --failover-rounds N   abrupt node deaths (and as many graceful leaves) (default 5)
          --restart-rounds N    PostgreSQL restarts (default 3)
          --only a,b            run only these scenarios: signaling, feed, throughput, duplicates, failover, restart
        """;

    public int Nodes { get; init; } = 3;

    public int SignalingRounds { get; init; } = 600;

    public int SignalingWarmup { get; init; } = 50;

    public int FeedRounds { get; init; } = 60;

    public int FeedClientsPerNode { get; init; } = 2;

    public double ThroughputSeconds { get; init; } = 5;

    public double ThroughputWarmupSeconds { get; init; } = 1;

    public int ThroughputClientsPerPair { get; init; } = 4;

    public int ThroughputWindow { get; init; } = 16;

    /// <summary>Answers after which a throughput window ends early, whatever its duration.</summary>
    public long ThroughputMaxAnswers { get; init; } = 2_000_000;

    public int FailoverRounds { get; init; } = 5;

    public int FailoverSlaves { get; init; } = 4;

    public int RestartRounds { get; init; } = 3;

    /// <summary>After the nodes report healthy, how long clients are watched for flaps (covers a lease and a janitor run).</summary>
    public double RestartQuietSeconds { get; init; } = 5;

    /// <summary>Bound on any single wait for an event.</summary>
    public double WaitTimeoutSeconds { get; init; } = 20;

    /// <summary>Whole-run budget: remaining rounds are skipped (and reported) once it is spent.</summary>
    public double BudgetMinutes { get; init; } = 20;

    public string? OutPath { get; init; }

    /// <summary>Scenario keys to run; null runs all.</summary>
    public IReadOnlyList<string>? Only { get; init; }

    public TimeSpan WaitTimeout => TimeSpan.FromSeconds(WaitTimeoutSeconds);

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            int NextInt(int min, int max)
            {
                var value = int.Parse(Next(), CultureInfo.InvariantCulture);
                return value >= min && value <= max ? value : throw new FormatException($"{args[i - 1]} must be {min}..{max}");
            }

            try
            {
                options = args[i] switch
                {
                    "--quick" => options with
                    {
                        SignalingRounds = 60, SignalingWarmup = 10, FeedRounds = 6, ThroughputSeconds = 1,
                        ThroughputWarmupSeconds = 0.3, FailoverRounds = 1, RestartRounds = 1, RestartQuietSeconds = 4,
                    },
                    "--nodes" => options with { Nodes = NextInt(2, 8) },
                    "--rounds" => options with { SignalingRounds = NextInt(1, 100_000) },
                    "--feed-rounds" => options with { FeedRounds = NextInt(1, 10_000) },
                    "--throughput-seconds" => options with { ThroughputSeconds = NextInt(1, 120) },
                    "--failover-rounds" => options with { FailoverRounds = NextInt(0, 50) },
                    "--restart-rounds" => options with { RestartRounds = NextInt(0, 20) },
                    "--out" => options with { OutPath = Next() },
                    "--only" => options with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    _ => throw new FormatException($"unknown argument {args[i]}"),
                };
            }
            catch (FormatException exception)
            {
                Console.Error.WriteLine(exception.Message);
                return null;
            }
        }

        return options;
    }
}
