using System.Globalization;
using System.Text.Json;
using Enslavism.Bench.Browser;
using Microsoft.Playwright;

// Browser data-channel benchmark harness. Serves wwwroot/bench.html, launches the system Chromium through Playwright
// and runs the page against each subject (the Chrome↔Chrome anchor first; our stack plugs in as another subject), then
// prints one table with every subject side by side and writes the raw runs as JSON. See docs/benchmarks.md.

if (args is ["--self-test"])
{
    return await ResponderSelfTest.RunAsync();
}
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

// Every subject runs in the same browser launches, interleaved, so each sees the same machine load.
var subjects = new List<IBenchSubject>();
foreach (var name in options.Subjects)
{
    IBenchSubject? subject = name switch
    {
        "chrome-chrome" => new ChromeLoopSubject(),
        "chrome-remote" => new ChromeRemoteSubject(),
        "enslavism-chrome" => new EnslavismSubject(),
        "enslavism-chrome-baseline" => new EnslavismSubject(baseline: true),
        _ => null,
    };
    if (subject is null)
    {
        Console.Error.WriteLine($"unknown subject '{name}'");
        return 2;
    }
    subjects.Add(subject);
}

using var total = new CancellationTokenSource(options.TotalTimeout);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    total.Cancel();
};

var machine = MachineInfo.Collect();
var runner = new BenchRunner(options, subjects);
int exitCode;
try
{
    exitCode = await runner.RunAsync(machine, total.Token);
}
catch (OperationCanceledException) when (total.IsCancellationRequested)
{
    // Total time limit or Ctrl+C: still print and save what was measured.
    Console.Error.WriteLine("stopped early (total time limit or Ctrl+C); the results below are partial");
    exitCode = 1;
}
finally
{
    foreach (var s in subjects)
    {
        await s.DisposeAsync();
    }
}

var report = Report.Build(options, machine, runner.Results);
Console.WriteLine();
Console.WriteLine(Report.Header(machine, options));
Console.WriteLine(Report.Table(runner.Results));
if (options.Out is not null)
{
    await File.WriteAllTextAsync(options.Out, report.ToJsonString(new() { WriteIndented = true }) + "\n");
    Console.WriteLine($"results written to {options.Out}");
}
return exitCode;

namespace Enslavism.Bench.Browser
{
    /// <summary>Runs every subject in every browser launch; every phase has a count and a time limit.</summary>
    internal sealed class BenchRunner(BenchOptions options, IReadOnlyList<IBenchSubject> subjects)
    {
        public Dictionary<string, SubjectResults> Results { get; } = subjects.ToDictionary(s => s.Name, s => new SubjectResults(s.Name, s.Mode));

        public async Task<int> RunAsync(MachineInfo machine, CancellationToken ct)
        {
            await using var server = await BenchServer.StartAsync(ct);
            Console.WriteLine($"serving {server.BaseUrl}");
            using var playwright = await Playwright.CreateAsync();
            var failures = 0;
            for (var launch = 1; launch <= options.Launches; launch++)
            {
                ct.ThrowIfCancellationRequested();
                await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    // The system browser: Playwright must never try to download its own build.
                    ExecutablePath = options.Chromium,
                    Headless = true,
                    Timeout = 30_000,
                    // Loopback ICE needs both the loopback flag and a granted media permission (fake UI grants it);
                    // the rest keeps Chromium from talking to anything but the page. No --disable-features here: it
                    // would replace Playwright's own list.
                    Args =
                    [
                        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
                    ],
                });
                machine.Chromium = browser.Version;
                Console.WriteLine($"launch {launch}/{options.Launches}: Chromium {browser.Version}");
                foreach (var subject in subjects)
                {
                    failures += await RunSubjectAsync(browser, server.BaseUrl, subject, launch, ct);
                }
            }
            var empty = Results.Values.Count(r => r.Runs.Count == 0);
            return failures > 0 || empty > 0 ? 1 : 0;
        }

        /// <summary>
        /// UDP receive-buffer overflows in this network namespace (Udp RcvbufErrors in /proc/net/snmp). A receiver
        /// starved of CPU lets its socket buffer fill; the drops then cost SCTP retransmission timeouts, which show up
        /// as multi-second stalls in the reliable throughput figures. Inside `unshare -n` only our traffic counts.
        /// </summary>
        private static long UdpDrops()
        {
            try
            {
                var lines = File.ReadLines("/proc/net/snmp").Where(l => l.StartsWith("Udp: ", StringComparison.Ordinal)).ToList();
                var names = lines[0].Split(' ');
                var values = lines[1].Split(' ');
                var i = Array.IndexOf(names, "RcvbufErrors");
                return i > 0 ? long.Parse(values[i], CultureInfo.InvariantCulture) : 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                return 0;
            }
        }

        private async Task<int> RunSubjectAsync(IBrowser browser, Uri baseUrl, IBenchSubject subject, int launch, CancellationToken ct)
        {
            var results = Results[subject.Name];
            using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            startLimit.CancelAfter(TimeSpan.FromSeconds(30));
            await subject.StartAsync(browser, baseUrl, startLimit.Token);
            var page = await browser.NewPageAsync();
            try
            {
                if (subject.Mode == "remote")
                {
                    // The page's only way out to the remote answerer: offer SDP in, answer SDP out.
                    await page.ExposeFunctionAsync<string, Task<string>>("benchSignal", offer => subject.AnswerAsync(offer, ct));
                }
                await page.GotoAsync(new Uri(baseUrl, "bench.html").ToString(), new() { Timeout = 30_000 });
                await page.WaitForFunctionAsync("() => window.bench !== undefined", null, new() { Timeout = 10_000 });
                var config = new Dictionary<string, object>
                {
                    ["mode"] = subject.Mode,
                    ["gather"] = subject.Gather,
                    ["pings"] = options.Pings,
                    ["pingWarmup"] = options.PingWarmup,
                    ["durationMs"] = options.DurationMs,
                    ["sizes"] = options.Sizes,
                    ["downBytes"] = options.DownBytes,
                };
                for (var run = 1 - options.Warmup; run <= options.Runs; run++)
                {
                    ct.ThrowIfCancellationRequested();
                    var tag = run <= 0 ? "warm-up" : $"run {run}/{options.Runs}";
                    JsonElement result;
                    var cpu = CpuSample.Take();
                    var dropsBefore = UdpDrops();
                    try
                    {
                        // The page bounds each of its own waits; this limit catches a page that hangs anyway.
                        result = await page.EvaluateAsync<JsonElement>("cfg => window.bench.runBench(cfg)", config)
                            .WaitAsync(options.RunTimeout, ct);
                    }
                    catch (Exception e) when (e is PlaywrightException or TimeoutException)
                    {
                        Console.WriteLine($"  {subject.Name} launch {launch} {tag}: FAILED: {e.Message.Split('\n')[0]}");
                        results.Failures.Add($"launch {launch} {tag}: {e.Message.Split('\n')[0]}");
                        return 1; // the page may still be busy; skip this subject's remaining runs in this launch
                    }
                    var after = CpuSample.Take();
                    var (busy, own) = (after.BusyCoresSince(cpu), after.OwnCoresSince(cpu));
                    var drops = UdpDrops() - dropsBefore;
                    Console.WriteLine($"  {subject.Name} launch {launch} {tag}: {Report.OneLine(result)}; cores: machine {busy:0.00}, ours {own:0.00}; udp drops {drops}");
                    if (run > 0)
                    {
                        results.Runs.Add(new RunResult(launch, run, result, busy, own, drops));
                    }
                }
                return 0;
            }
            finally
            {
                await page.CloseAsync();
                await subject.StopAsync();
            }
        }
    }

    internal sealed record RunResult(int Launch, int Run, JsonElement Result, double BusyCores, double OwnCores, long UdpDrops)
    {
        /// <summary>The page's metrics plus how busy the machine was, and how much of it Chromium and we got.</summary>
        public IEnumerable<KeyValuePair<string, double>> Metrics =>
            Result.GetProperty("metrics").EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Number)
                .Select(p => KeyValuePair.Create(p.Name, p.Value.GetDouble()))
                .Append(KeyValuePair.Create("machine_busy_cores", BusyCores))
                .Append(KeyValuePair.Create("own_cores", OwnCores))
                .Append(KeyValuePair.Create("udp_drops", (double)UdpDrops))
                .OrderBy(kv => Report.Rank(kv.Key));
    }

    /// <summary>
    /// Whole-machine CPU counters from /proc/stat. Other work on the box (builds, tests) skews browser numbers a lot on
    /// 2 cores, so each run records how many cores were busy while it ran.
    /// </summary>
    internal readonly record struct CpuSample(long Busy, long Total, long Own)
    {
        public static CpuSample Take()
        {
            try
            {
                var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Skip(1).Select(long.Parse).ToArray();
                var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
                return new CpuSample(total - fields[3] - fields[4], total, OwnTreeTicks());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return default;
            }
        }

        /// <summary>Cores busy on the whole machine between the samples.</summary>
        public double BusyCoresSince(CpuSample start) => Cores(Busy - start.Busy, start);

        /// <summary>
        /// Cores used by this process and its descendants (the Playwright driver and every Chromium process) between
        /// the samples: divides out contention, since throughput here is CPU-bound.
        /// </summary>
        public double OwnCoresSince(CpuSample start) => Cores(Own - start.Own, start);

        private double Cores(long ticks, CpuSample start) =>
            Total > start.Total ? (double)ticks / (Total - start.Total) * Environment.ProcessorCount : double.NaN;

        /// <summary>utime + stime of our process tree, in the same clock ticks as /proc/stat.</summary>
        private static long OwnTreeTicks()
        {
            var parents = new Dictionary<int, int>();
            var ticks = new Dictionary<int, long>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    // Fields after the command name, which is in parentheses and may contain spaces.
                    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[pid] = int.Parse(f[1], CultureInfo.InvariantCulture);
                    ticks[pid] = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
                {
                    // The process exited while we looked.
                }
            }
            var self = Environment.ProcessId;
            var sum = 0L;
            foreach (var (pid, t) in ticks)
            {
                for (var p = pid; p > 1; p = parents.GetValueOrDefault(p, 0))
                {
                    if (p == self)
                    {
                        sum += t;
                        break;
                    }
                }
            }
            return sum;
        }
    }

    internal sealed class SubjectResults(string name, string mode)
    {
        public string Name => name;
        public string Mode => mode;
        public List<RunResult> Runs { get; } = [];
        public List<string> Failures { get; } = [];

        /// <summary>Metric names in the order the page reported them, with their values across runs.</summary>
        public List<(string Key, List<double> Values)> Series()
        {
            var series = new List<(string Key, List<double> Values)>();
            foreach (var run in Runs)
            {
                foreach (var (key, value) in run.Metrics)
                {
                    var i = series.FindIndex(s => s.Key == key);
                    if (i < 0)
                    {
                        series.Add((key, [value]));
                    }
                    else
                    {
                        series[i].Values.Add(value);
                    }
                }
            }
            return series;
        }
    }

    internal sealed class BenchOptions
    {
        public const string Usage = """
            usage: Enslavism.Bench.Browser [options] | --self-test
              --subjects a,b       chrome-chrome (the anchor, default), chrome-remote (Chrome answerer through the remote seam),
                                   enslavism-chrome (our WebRtcEndpoint on 127.0.0.1 answering the page),
                                   enslavism-chrome-baseline (the same without the BCL handshake crypto and warm-up)
              --launches N         browser launches (default 3)
              --runs N             measured runs per launch and subject (default 3)
              --warmup N           discarded runs before them (default 1)
              --pings N            RTT pings per channel (default 2000), after --ping-warmup N (default 100)
              --duration-ms N      browser->peer blast length per case (default 3000)
              --sizes a,b          message sizes in bytes (default 1024,16384)
              --down-mb N          cap on peer->browser bytes per case, in 10^6 bytes (the peer sends back as many
                                   messages as the blast delivered); 0 skips peer->browser (default 64)
              --run-timeout-s N    limit for one run (default 180)
              --total-timeout-s N  limit for everything (default 1800)
              --chromium PATH      browser executable (default $CHROMIUM_PATH or /usr/bin/chromium)
              --out FILE           write the raw runs and the summary as JSON
              --quick              1 launch, 1 run, no warm-up, 200 pings, 1 s blasts: a smoke test
              --setup-only         measure connection setup only: 1 ping per channel, no blasts (combine with
                                   --launches/--runs for more setups, e.g. --launches 2 --runs 10)
              --self-test          check the C# responder (BenchResponder) against the protocol, then exit
            """;

        public IReadOnlyList<string> Subjects { get; private set; } = ["chrome-chrome"];
        public int Launches { get; private set; } = 3;
        public int Runs { get; private set; } = 3;
        public int Warmup { get; private set; } = 1;
        public int Pings { get; private set; } = 2000;
        public int PingWarmup { get; private set; } = 100;
        public int DurationMs { get; private set; } = 3000;
        public IReadOnlyList<int> Sizes { get; private set; } = [1024, 16384];
        public double DownBytes { get; private set; } = 64e6;
        public TimeSpan RunTimeout { get; private set; } = TimeSpan.FromSeconds(180);
        public TimeSpan TotalTimeout { get; private set; } = TimeSpan.FromSeconds(1800);
        public string Chromium { get; private set; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";
        public string? Out { get; private set; }

        public static BenchOptions? Parse(string[] args)
        {
            var o = new BenchOptions();
            var inv = CultureInfo.InvariantCulture;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int Count(int min) => int.Parse(Next(), inv) is var n && n >= min ? n : throw new ArgumentException($"{args[i]} must be >= {min}");
                try
                {
                    switch (args[i])
                    {
                        case "--subjects": o.Subjects = Next().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                        case "--launches": o.Launches = Count(1); break;
                        case "--runs": o.Runs = Count(1); break;
                        case "--warmup": o.Warmup = Count(0); break;
                        case "--pings": o.Pings = Count(1); break;
                        case "--ping-warmup": o.PingWarmup = Count(0); break;
                        case "--duration-ms": o.DurationMs = Count(100); break;
                        case "--sizes": o.Sizes = [.. Next().Split(',').Select(s => int.Parse(s, inv))]; break;
                        case "--down-mb": o.DownBytes = double.Parse(Next(), inv) * 1e6; break;
                        case "--run-timeout-s": o.RunTimeout = TimeSpan.FromSeconds(Count(1)); break;
                        case "--total-timeout-s": o.TotalTimeout = TimeSpan.FromSeconds(Count(1)); break;
                        case "--chromium": o.Chromium = Next(); break;
                        case "--out": o.Out = Next(); break;
                        case "--setup-only":
                            (o.Pings, o.PingWarmup, o.Sizes, o.DownBytes) = (1, 0, [], 0);
                            break;
                        case "--quick":
                            (o.Launches, o.Runs, o.Warmup, o.Pings, o.PingWarmup, o.DurationMs) = (1, 1, 0, 200, 20, 1000);
                            break;
                        default: return null;
                    }
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                    Console.Error.WriteLine(e.Message);
                    return null;
                }
            }
            return o;
        }
    }
}
