namespace Enslavism.Bench.Cluster;

/// <summary>One line of the printed table: a latency distribution or a single figure, for one setup.</summary>
internal sealed record ResultRow(string Measure, string Setup, string Unit, Stats? Latency = null, double? Value = null, string? Note = null);

/// <summary>Everything a run produced; serialized as is by <c>--out</c>.</summary>
internal sealed class BenchResults
{
    public required MachineInfo Machine { get; init; }

    public required BenchOptions Options { get; init; }

    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? FinishedUtc { get; set; }

    public string? LoadAverageAtEnd { get; set; }

    public List<ResultRow> Rows { get; } = [];

    /// <summary>Per-round raw figures of the failure experiments (few rounds, so every one is kept).</summary>
    public List<FailoverRound> FailoverRounds { get; } = [];

    public List<RestartRound> RestartRounds { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>Per scenario: the Enslavism counters (all nodes summed) that grew while it ran.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, long>> Counters { get; } = [];
}

/// <summary>One node death: from the cut-off to each remote client no longer listing the node's slaves.</summary>
internal sealed record FailoverRound(string Kind, int Round, int Slaves, int Clients, double[] RemovedMsPerClient,
    long SpuriousRemoves, long UnknownRemoves);

/// <summary>One PostgreSQL restart and what the nodes and clients did about it.</summary>
internal sealed record RestartRound(int Round, double DownMs, double ReadyToAllHealthyMs, double StopToAllHealthyMs,
    double FirstCrossNodeAnswerMs, int CrossNodeOffersUnanswered, long SpuriousAdds, long SpuriousRemoves, bool ListsIntact, string[] HealthSeenWhileDown);
