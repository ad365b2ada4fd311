namespace Enslavism.Interop.Tests.Infrastructure;

/// <summary>
/// Prepares the offering peers once per test run: <c>npm ci</c> in tests/interop-peers when node_modules is missing
/// (a fresh clone), and the pion offerer built in GOPATH mode against Debian's golang-github-pion-webrtc.v3-dev.
/// Each step is bounded and runs at most once; a failure is reported by every test that needs it.
/// </summary>
public sealed class PeerEnvironment
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Task? _npm;
    private static Task<string>? _pion;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PeersDirectory => Path.Combine(RepoRoot, "tests", "interop-peers");

    public static async Task EnsureNpmAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _npm ??= Directory.Exists(Path.Combine(PeersDirectory, "node_modules"))
                ? Task.CompletedTask
                : PeerProcess.RunCheckedAsync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], PeersDirectory, TimeSpan.FromMinutes(3));
        }
        finally
        {
            Gate.Release();
        }

        await _npm.ConfigureAwait(false);
    }

    /// <summary>Path of the built pion offerer.</summary>
    public static async Task<string> EnsurePionAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _pion ??= BuildPionAsync();
        }
        finally
        {
            Gate.Release();
        }

        return await _pion.ConfigureAwait(false);
    }

    private static async Task<string> BuildPionAsync()
    {
        const string debianPion = "/usr/share/gocode/src/github.com/pion/webrtc";
        if (!Directory.Exists(debianPion))
        {
            throw new InvalidOperationException("golang-github-pion-webrtc.v3-dev is not installed (scripts/install-prereqs.sh)");
        }

        var work = Directory.CreateTempSubdirectory("enslavism-pion-");
        var gopath = Path.Combine(work.FullName, "gopath");
        var link = Path.Combine(gopath, "src", "github.com", "pion", "webrtc");
        Directory.CreateDirectory(link);
        File.CreateSymbolicLink(Path.Combine(link, "v3"), debianPion);
        var output = Path.Combine(work.FullName, "pion-offer");
        await PeerProcess.RunCheckedAsync("go", ["build", "-o", output, "."], Path.Combine(PeersDirectory, "pion"), TimeSpan.FromMinutes(3),
            new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = gopath + ":/usr/share/gocode",
            }).ConfigureAwait(false);
        return output;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Enslavism.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Enslavism.sln) not found above " + AppContext.BaseDirectory);
    }
}
