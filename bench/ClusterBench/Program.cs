using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Enslavism.Bench.Cluster;
using Enslavism.Bench.Cluster.Scenarios;

// Master tier on PostgreSQL: starts a private PostgreSQL and N gateway nodes in this process (plus one in-memory node
// as the anchor), drives them with raw WebSocket slaves and clients, prints one table and optionally writes JSON.
// See docs/benchmarks.md, section "Master tier on PostgreSQL".

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var results = new BenchResults { Machine = MachineInfo.Collect(), Options = options };
Console.WriteLine($"machine: {results.Machine.Cpu}, {results.Machine.LogicalCores} logical cores, load {results.Machine.LoadAverage}");

var exitCode = 0;
using var counters = new CounterTotals();
await using (var postgres = await PostgresServer.StartNewAsync())
{
    var nodes = new List<BenchNode>();
    try
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench");
        var context = new BenchContext
        {
            Postgres = postgres,
            ConnectionString = connectionString,
            Cluster = await StartClusterAsync(postgres, connectionString, options.Nodes, nodes),
            Anchor = await Track(BenchNode.StartAsync("anchor", connectionString: null), nodes),
            Options = options,
            Results = results,
        };

        (string Key, string Name, Func<BenchContext, Task> Run)[] scenarios =
        [
            ("signaling", "signaling latency", SignalingLatency.RunAsync),
            ("feed", "change feed", ChangeFeed.RunAsync),
            ("throughput", "relay throughput", RelayThroughput.RunAsync),
            ("duplicates", "relay of repeated frames", RelayDuplicates.RunAsync),
            ("failover", "failover", Failover.RunAsync),
            ("restart", "PostgreSQL restart", PostgresRestart.RunAsync),
        ];
        foreach (var (key, name, run) in scenarios)
        {
            if (options.Only is { } only && !only.Contains(key))
            {
                continue;
            }

            Console.WriteLine($"== {name}");
            var countersBefore = counters.Snapshot();
            try
            {
                await run(context);
            }
            catch (Exception exception) when (exception is TimeoutException or InvalidOperationException
                                                  or System.Net.WebSockets.WebSocketException or Npgsql.NpgsqlException)
            {
                // One scenario failing is a finding, not a reason to lose the others' figures.
                context.Problem($"{name} failed: {exception.GetType().Name}: {exception.Message}");
                exitCode = 1;
            }

            // What the nodes counted meanwhile: drops and their reasons explain any loss seen above.
            var grown = counters.Since(countersBefore);
            results.Counters[key] = grown;
            foreach (var (counter, delta) in grown.Where(kv => !kv.Key.Contains(".received", StringComparison.Ordinal)))
            {
                Console.WriteLine($"  counter {counter}: +{delta}");
            }
        }
    }
    finally
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }
}

results.FinishedUtc = DateTimeOffset.UtcNow;
results.LoadAverageAtEnd = MachineInfo.ReadLoadAverage();
Console.WriteLine();
Console.WriteLine(Table.Render(results));
if (options.OutPath is { } outPath)
{
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(results, JsonOptions.Value));
    Console.WriteLine($"wrote {outPath}");
}

return exitCode;

static async Task<BenchNode[]> StartClusterAsync(PostgresServer postgres, string connectionString, int count, List<BenchNode> owned)
{
    var cluster = new BenchNode[count];
    for (var i = 0; i < count; i++)
    {
        var role = $"ens_node_{i}";
        await postgres.CreateRoleAsync(role);
        cluster[i] = await Track(BenchNode.StartAsync($"node-{(char)('a' + i)}", $"{connectionString};Username={role}"), owned);
    }

    return cluster;
}

static async Task<BenchNode> Track(Task<BenchNode> start, List<BenchNode> owned)
{
    var node = await start;
    owned.Add(node);
    return node;
}

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Value = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

internal static class Table
{
    public static string Render(BenchResults results)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"| Measure | Setup | p50 | p99 | max | n / value |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var row in results.Rows)
        {
            if (row.Latency is { } l)
            {
                text.AppendLine(culture, $"| {row.Measure} | {row.Setup} | {l.P50:F2} ms | {l.P99:F2} ms | {l.Max:F2} ms | n={l.Count} |");
            }
            else
            {
                text.AppendLine(culture, $"| {row.Measure} | {row.Setup} | | | | {row.Value:F0} {row.Unit}{(row.Note is null ? "" : $" ({row.Note})")} |");
            }
        }

        foreach (var problem in results.Problems)
        {
            text.AppendLine(culture, $"PROBLEM: {problem}");
        }

        return text.ToString();
    }
}
