using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enslavism.Bench.Browser;

/// <summary>What the numbers were measured on; printed with the table because they mean nothing without it.</summary>
internal sealed class MachineInfo
{
    public int Cores { get; init; }
    public string Cpu { get; init; } = "";
    public string Memory { get; init; } = "";
    public string Os { get; init; } = "";
    public string Kernel { get; init; } = "";
    public string Dotnet { get; init; } = "";
    public string Chromium { get; set; } = "";
    public DateTimeOffset Started { get; init; }
    public string LoadAtStart { get; init; } = "";

    public static MachineInfo Collect() => new()
    {
        Cores = Environment.ProcessorCount,
        Cpu = ReadField("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Memory = ReadField("/proc/meminfo", "MemTotal", ':') is { } kb && long.TryParse(kb.Split(' ')[0], out var k)
            ? $"{k / 1024.0 / 1024.0:0.0} GiB" : "",
        Os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        Kernel = ReadAll("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        Dotnet = RuntimeInformation.FrameworkDescription,
        Started = DateTimeOffset.UtcNow,
        LoadAtStart = LoadAverage(),
    };

    /// <summary>1/5/15-minute load averages: shows whether something else was competing for the cores.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string? ReadAll(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadField(string path, string name, char separator)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var i = line.IndexOf(separator, StringComparison.Ordinal);
                if (i > 0 && line[..i].Trim() == name)
                {
                    return line[(i + 1)..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not readable: the caller falls back to what the runtime knows.
        }
        return null;
    }
}

internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static JsonObject Build(BenchOptions o, MachineInfo m, Dictionary<string, SubjectResults> results)
    {
        var subjects = new JsonObject();
        foreach (var r in results.Values)
        {
            var summary = new JsonObject();
            foreach (var (key, values) in r.Series())
            {
                summary[key] = new JsonObject
                {
                    ["median"] = Median(values),
                    ["min"] = values.Min(),
                    ["max"] = values.Max(),
                    ["n"] = values.Count,
                };
            }
            var runs = new JsonArray();
            foreach (var run in r.Runs)
            {
                runs.Add(new JsonObject
                {
                    ["launch"] = run.Launch,
                    ["run"] = run.Run,
                    ["machineBusyCores"] = run.BusyCores,
                    ["ownCores"] = run.OwnCores,
                    ["udpDrops"] = run.UdpDrops,
                    ["result"] = WithoutIds(JsonNode.Parse(run.Result.GetRawText())),
                });
            }
            subjects[r.Name] = new JsonObject
            {
                ["mode"] = r.Mode,
                ["summary"] = summary,
                ["failures"] = new JsonArray([.. r.Failures.Select(f => (JsonNode?)f)]),
                ["runs"] = runs,
            };
        }
        return new JsonObject
        {
            ["machine"] = new JsonObject
            {
                ["cores"] = m.Cores,
                ["cpu"] = m.Cpu,
                ["memory"] = m.Memory,
                ["os"] = m.Os,
                ["kernel"] = m.Kernel,
                ["dotnet"] = m.Dotnet,
                ["chromium"] = m.Chromium,
                ["startedUtc"] = m.Started.ToString("u", Inv),
                ["loadAtStart"] = m.LoadAtStart,
                ["loadAtEnd"] = MachineInfo.LoadAverage(),
            },
            ["config"] = new JsonObject
            {
                ["launches"] = o.Launches,
                ["runs"] = o.Runs,
                ["warmup"] = o.Warmup,
                ["pings"] = o.Pings,
                ["pingWarmup"] = o.PingWarmup,
                ["durationMs"] = o.DurationMs,
                ["sizes"] = new JsonArray([.. o.Sizes.Select(s => (JsonNode?)s)]),
                ["downBytes"] = o.DownBytes,
            },
            ["subjects"] = subjects,
        };
    }

    /// <summary>Drops the "$id" bookkeeping that Playwright's serializer adds to every object it returns.</summary>
    private static JsonNode? WithoutIds(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            o.Remove("$id");
            foreach (var (_, child) in o)
            {
                WithoutIds(child);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                WithoutIds(child);
            }
        }
        return node;
    }

    public static string Header(MachineInfo m, BenchOptions o) =>
        $"""
        machine: {m.Cores} cores, {m.Cpu}, {m.Memory}, {m.Os} (kernel {m.Kernel})
        runtime: {m.Dotnet}; Chromium {m.Chromium}; started {m.Started:u}; load {m.LoadAtStart} -> {MachineInfo.LoadAverage()}
        method:  {o.Launches} launch(es) x ({o.Warmup} warm-up + {o.Runs} runs); {o.Pings} pings; {o.DurationMs} ms blasts; peer->browser capped at {o.DownBytes / 1e6:0.#} MB
        cells:   median over runs [min - max]; MB = 10^6 bytes; up = browser -> peer, down = peer -> browser

        """;

    /// <summary>A Markdown table, subjects side by side, so it can go straight into docs/benchmarks.md.</summary>
    public static string Table(Dictionary<string, SubjectResults> results)
    {
        var keys = new List<string>();
        foreach (var r in results.Values)
        {
            foreach (var (key, _) in r.Series())
            {
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }
        keys = [.. keys.OrderBy(Rank)];
        var sb = new StringBuilder();
        sb.Append("| metric |");
        foreach (var r in results.Values)
        {
            sb.Append(Inv, $" {r.Name} ({r.Runs.Count} runs) |");
        }
        sb.Append("\n|---|");
        sb.Append(string.Concat(Enumerable.Repeat("---|", results.Count)));
        sb.Append('\n');
        foreach (var key in keys)
        {
            sb.Append(Inv, $"| {Label(key)} |");
            foreach (var r in results.Values)
            {
                var values = r.Series().FirstOrDefault(s => s.Key == key).Values;
                sb.Append(values is null or { Count: 0 }
                    ? " – |"
                    : $" {Format(key, Median(values))} [{Format(key, values.Min())} – {Format(key, values.Max())}] |");
            }
            sb.Append('\n');
        }
        foreach (var r in results.Values.Where(r => r.Failures.Count > 0))
        {
            sb.Append(Inv, $"\n{r.Name} failures: {string.Join("; ", r.Failures)}\n");
        }
        return sb.ToString();
    }

    /// <summary>A short progress line per run, so a long benchmark shows what it is doing.</summary>
    public static string OneLine(JsonElement result)
    {
        var m = result.GetProperty("metrics");
        string Get(string key) => m.TryGetProperty(key, out var v) ? Format(key, v.GetDouble()) : "–";
        var pair = result.GetProperty("detail").TryGetProperty("pair", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : "?";
        return $"setup {Get("setup_ms")} ms, rtt {Get("rtt_rel_median_ms")}/{Get("rtt_unrel_median_ms")} ms, " +
            $"up 1K {Get("up_rel_1024_mbps")} 16K {Get("up_rel_16384_mbps")} MB/s, " +
            $"down 1K {Get("down_rel_1024_mbps")} 16K {Get("down_rel_16384_mbps")} MB/s; pair {pair}";
    }

    /// <summary>Table order: setup, RTT, browser→peer, peer→browser, machine load; the page's order within each.</summary>
    public static int Rank(string key) => key.Split('_')[0] switch
    {
        "setup" => 0,
        "rtt" => 1,
        "up" => 2,
        "down" => 3,
        _ => 4,
    };

    public static double Median(List<double> values)
    {
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    private static string Format(string key, double v) => key switch
    {
        _ when key.EndsWith("_ms", StringComparison.Ordinal) => v < 10 ? v.ToString("0.000", Inv) : v.ToString("0.0", Inv),
        _ when key.EndsWith("_pct", StringComparison.Ordinal) => v.ToString("0.00", Inv) + " %",
        _ when key.EndsWith("_mbps", StringComparison.Ordinal) => v.ToString("0.0", Inv),
        _ when key.EndsWith("_cores", StringComparison.Ordinal) => v.ToString("0.00", Inv),
        _ => v.ToString("0", Inv),
    };

    /// <summary>Readable row names for the page's metric keys (e.g. up_unrel_1024_loss_pct).</summary>
    private static string Label(string key)
    {
        var fixedLabels = new Dictionary<string, string>
        {
            ["setup_ms"] = "setup: createOffer → all channels open (ms)",
            ["setup_answer_to_open_ms"] = "setup: answer → all channels open (ms)",
            ["machine_busy_cores"] = "CPU busy during the run, whole machine (cores)",
            ["own_cores"] = "CPU used during the run by Chromium + harness (cores)",
            ["udp_drops"] = "UDP datagrams dropped by the kernel (receive buffer full)",
        };
        if (fixedLabels.TryGetValue(key, out var label))
        {
            return label;
        }
        var parts = key.Split('_');
        string Kind(string k) => k == "rel" ? "reliable" : "unreliable";
        if (parts[0] == "rtt")
        {
            var what = parts[2] switch { "median" => "median (ms)", "p99" => "p99 (ms)", _ => "pings lost" };
            return $"RTT 16 B, {Kind(parts[1])}, {what}";
        }
        if (parts[0] is "up" or "down" && parts.Length >= 4)
        {
            var size = int.Parse(parts[2], Inv);
            var sizeText = size % 1024 == 0 ? $"{size / 1024} KiB" : $"{size} B";
            var unit = string.Join('_', parts[3..]) switch { "mbps" => "MB/s", "msgps" => "msg/s", _ => "loss" };
            return $"{parts[0]} {Kind(parts[1])} {sizeText} ({unit})";
        }
        return key;
    }
}
