using System.Runtime.InteropServices;

namespace Enslavism.Bench.Cluster;

/// <summary>What the run ran on; the figures mean little without it.</summary>
internal sealed record MachineInfo(string Os, string Cpu, int LogicalCores, string Runtime, string LoadAverage, string Postgres)
{
    public static MachineInfo Collect() => new(
        RuntimeInformation.OSDescription,
        CpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        ReadLoadAverage(),
        "PostgreSQL 15 (private instance: fsync=off, synchronous_commit=off, full_page_writes=off)");

    public static string ReadLoadAverage() => ReadOr("/proc/loadavg", "?").Trim();

    private static string CpuModel() =>
        ReadOr("/proc/cpuinfo", "").Split('\n')
            .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";

    private static string ReadOr(string path, string fallback)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return fallback;
        }
        catch (UnauthorizedAccessException)
        {
            return fallback;
        }
    }
}
