using System.Text.Json;

namespace Enslavism.Browser.Tests;

/// <summary>
/// The published Enslavism 0.9.0 browser bundle (<c>dist/client.bundle.js</c> of the npm package), installed by
/// <c>npm ci</c> in <c>compat09/</c>. It is third-party code, so it is fetched, never committed.
/// </summary>
internal static class Enslavism09Bundle
{
    public const string ExpectedVersion = "0.9.0";

    private const string InstallHint =
        "The Enslavism 0.9.0 bundle is not installed: run `npm ci --prefix tests/Enslavism.Browser.Tests/compat09` " +
        "from the repository root (test.sh does it before the build), then run the tests again.";

    private static readonly Lazy<string> Script = new(Load);

    /// <summary>The bundle's text; throws with the install command when it is missing or not version 0.9.0.</summary>
    public static string Text => Script.Value;

    private static string Load()
    {
        var (manifest, bundle) = Find() ?? throw new InvalidOperationException(InstallHint);
        using var package = JsonDocument.Parse(File.ReadAllText(manifest));
        var version = package.RootElement.GetProperty("version").GetString();
        if (version != ExpectedVersion)
        {
            throw new InvalidOperationException($"{manifest} is enslavism {version}, not {ExpectedVersion}. {InstallHint}");
        }

        return File.ReadAllText(bundle);
    }

    // The copy next to the test assembly (made by the build when the package was installed first), else the npm folder
    // itself, found by walking up to the repository (npm ci may have run after the build).
    private static (string Manifest, string Bundle)? Find()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "compat09");
        if (Exists(Path.Combine(copied, "package.json"), Path.Combine(copied, "client.bundle.js")) is { } copy)
        {
            return copy;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var installed = Path.Combine(dir.FullName, "tests", "Enslavism.Browser.Tests", "compat09", "node_modules", "enslavism");
            if (Exists(Path.Combine(installed, "package.json"), Path.Combine(installed, "dist", "client.bundle.js")) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static (string, string)? Exists(string manifest, string bundle) =>
        File.Exists(manifest) && File.Exists(bundle) ? (manifest, bundle) : null;
}
