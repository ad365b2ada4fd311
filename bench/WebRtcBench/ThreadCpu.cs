using System.Globalization;

/// <summary>
/// Per-thread CPU time from /proc/self/task (Linux only; empty elsewhere), grouped by thread name, so a phase can be
/// split into event loop, receive thread, dispatcher and the rest.
/// </summary>
internal static class ThreadCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static Dictionary<string, double> Snapshot()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Directory.Exists("/proc/self/task"))
        {
            return result;
        }

        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                result[name] = result.GetValueOrDefault(name) + ticks / TicksPerSecond;
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return result;
    }

    /// <summary>"name 0.42 s, ..." for threads that used at least 0.02 s between the snapshots, busiest first.</summary>
    public static string Describe(Dictionary<string, double> before, Dictionary<string, double> after)
    {
        var used = after
            .Select(kv => (Name: kv.Key, Seconds: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(t => t.Seconds >= 0.02)
            .OrderByDescending(t => t.Seconds)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Seconds:F2}"));
        return string.Join(", ", used);
    }
}
