using Enslavism.Interop.Tests.Answerer;
using Enslavism.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Enslavism.Interop.Tests.Peers;

/// <summary>
/// Firefox ESR (NSS DTLS, usrsctp, max-message-size 1073741823) launched headless on the Chromium page with a
/// throw-away profile. Playwright cannot drive the system Firefox (it needs its patched build), so the page reports
/// through the signaling host like the other peers.
/// <para>Firefox 153 gathers no loopback candidate (not even with <c>media.peerconnection.ice.loopback</c> or
/// <c>force_interface=lo</c>) and does not check a loopback remote candidate from a non-loopback one, so in a
/// loopback-only namespace its offer has no candidate and ICE fails at once. The test therefore adds a veth pair with
/// a private test address (198.18.0.1/24, RFC 2544 benchmarking range) inside the test's own isolated namespace:
/// traffic between two local addresses never leaves the namespace (it is routed over <c>lo</c>), and there is
/// nothing else to reach. The answerer binds and announces that address.</para>
/// </summary>
public sealed class FirefoxTests(ITestOutputHelper output)
{
    private const string FirefoxPath = "/usr/bin/firefox-esr";

    private static readonly string[] Prefs =
    [
        // Gather host candidates on loopback, unobfuscated (no mDNS names), with no prompt for the page's getUserMedia.
        """user_pref("media.peerconnection.ice.loopback", true);""",
        """user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);""",
        """user_pref("media.peerconnection.ice.default_address_only", false);""",
        """user_pref("media.navigator.permission.disabled", true);""",
        """user_pref("media.navigator.streams.fake", true);""",
        // A loopback-only namespace looks offline; keep Firefox from switching to offline mode.
        """user_pref("network.manage-offline-status", false);""",
        """user_pref("network.offline-mirrors-connectivity", false);""",
        """user_pref("browser.shell.checkDefaultBrowser", false);""",
        """user_pref("datareporting.policy.dataSubmissionEnabled", false);""",
        """user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);""",
        """user_pref("app.update.enabled", false);""",
        """user_pref("browser.startup.homepage_override.mstone", "ignore");""",
    ];

    private const string VethAddress = "198.18.0.1";

    [IsolatedNamespaceTheory]
    [InlineData(AnswererKind.Endpoint)]
    public async Task Firefox_FullScenario_Succeeds(AnswererKind answerer)
    {
        Assert.True(File.Exists(FirefoxPath), "firefox-esr is not installed (apt-get install firefox-esr)");
        var profile = Directory.CreateTempSubdirectory("enslavism-firefox-");
        try
        {
            await PeerProcess.RunCheckedAsync("sh", ["-c",
                $"ip link del ensl-ff0 2>/dev/null; ip link add ensl-ff0 type veth peer name ensl-ff1 && ip addr add {VethAddress}/24 dev ensl-ff0 && ip link set ensl-ff1 up && ip link set ensl-ff0 up && ip route add default dev ensl-ff0"],
                profile.FullName, TimeSpan.FromSeconds(10));
            await File.WriteAllLinesAsync(Path.Combine(profile.FullName, "user.js"), Prefs);
            await using var run = await InteropRun.StartAsync(answerer, System.Net.IPAddress.Parse(VethAddress));
            using var browser = PeerProcess.Start(FirefoxPath, ["--headless", "--no-remote", "--profile", profile.FullName, run.BaseUrl + "/"],
                PeerEnvironment.PeersDirectory, new Dictionary<string, string> { ["MOZ_LOG"] = "" });
            var done = await run.WaitDoneAsync(TimeSpan.FromSeconds(30));
            await NodePeerTests.AssertFullScenarioAsync(run, done, exitCode: 0, "ok", browser.Output, output);
        }
        finally
        {
            await PeerProcess.RunCheckedAsync("sh", ["-c", "ip link del ensl-ff0 2>/dev/null || true"], "/", TimeSpan.FromSeconds(10));
            profile.Delete(recursive: true);
        }
    }
}
