namespace Enslavism.Interop.Tests.Infrastructure;

/// <summary>
/// A theory that runs only inside a network namespace of its own (only <c>lo</c>, as <c>test.sh</c> provides when
/// root) and as root, because it adds a veth pair there; elsewhere it is reported as skipped with the reason.
/// </summary>
public sealed class IsolatedNamespaceTheoryAttribute : TheoryAttribute
{
    public IsolatedNamespaceTheoryAttribute()
    {
        if (!IsIsolated())
        {
            Skip = "needs root inside a loopback-only network namespace (test.sh runs the suite in `unshare -n` when root): "
                + "this test adds a veth pair with a private address, which must not touch the host's network";
        }
    }

    public static bool IsIsolated()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return false;
        }

        try
        {
            // /proc/net/dev lists the interfaces of this process's namespace (/sys/class/net shows the mounter's).
            var interfaces = File.ReadAllLines("/proc/net/dev").Skip(2).Select(l => l.Split(':')[0].Trim()).ToList();
            return interfaces.Count > 0 && interfaces.All(i => i is "lo" || i.StartsWith("ensl-ff", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
