using System.Text.Json;
using Microsoft.Playwright;

namespace Enslavism.Browser.Tests;

/// <summary>
/// Page-side helpers: a MasterConnection whose events are recorded in <c>harness.events</c>, and data-channel attempts
/// whose outcome (resolved, or the rejection's reason) can be awaited from the test.
/// </summary>
internal static class PageHarness
{
    private const string Install = """
        ([masterUrl, options]) => {
          const events = [];
          const master = new MasterConnection(masterUrl, options);
          master.addEventListener('open', () => events.push({ event: 'open' }));
          master.addEventListener('close', (info) => events.push({ event: 'close', code: info.code }));
          master.addEventListener('error', (e) => events.push({ event: 'error', reason: e.reason, message: e.message }));
          master.addEventListener('slaveadded', (s) => events.push({ event: 'slaveadded', id: s.id, json: s.userDataJson, name: s.userData.name }));
          master.addEventListener('slaveremoved', (s) => events.push({ event: 'slaveremoved', id: s.id, removed: s.removed }));
          window.harness = { master, events, attempts: {} };
        }
        """;

    private const string Attempt = """
        ([slaveId, label, options]) => {
          const slave = harness.master.getSlave(slaveId);
          const record = { rejectedEvents: 0, disconnected: [] };
          slave.addEventListener('rejected', () => record.rejectedEvents++);
          slave.addEventListener('disconnected', (e) => record.disconnected.push(e.reason));
          record.outcome = slave.createDataChannel(label, options).then(
            (channel) => ({ ok: true, label: channel.label }),
            (e) => ({ ok: false, name: e.name, reason: e.reason, slaveId: e.slaveId, isEnslavismError: e instanceof Enslavism.EnslavismError }));
          harness.attempts[label] = record;
        }
        """;

    private const string Outcome = """
        async (label) => {
          const record = harness.attempts[label];
          const outcome = await record.outcome;
          return { ...outcome, rejectedEvents: record.rejectedEvents, disconnected: record.disconnected };
        }
        """;

    /// <summary>Opens a MasterConnection to <paramref name="masterUrl"/> and waits until it is open.</summary>
    public static async Task ConnectAsync(IPage page, string masterUrl, object? options = null)
    {
        await page.EvaluateAsync(Install, new[] { masterUrl, options ?? new { } });
        await page.WaitForFunctionAsync("() => harness.master.state === 'open'");
    }

    /// <summary>Waits until the recorded events contain one matching the JS predicate over <c>e</c>.</summary>
    public static Task WaitForEventAsync(IPage page, string predicate) =>
        page.WaitForFunctionAsync($"() => harness.events.some((e) => {predicate})");

    public static async Task<JsonElement[]> EventsAsync(IPage page) =>
        [.. (await page.EvaluateAsync<JsonElement>("() => harness.events")).EnumerateArray()];

    public static Task StartAttemptAsync(IPage page, uint slaveId, string label, object options) =>
        // As a double: Playwright does not serialize a uint nested in an object array.
        page.EvaluateAsync(Attempt, new object[] { (double)slaveId, label, options });

    /// <summary>The attempt's outcome; the library's own connect timeout bounds the wait, and this bounds it again.</summary>
    public static async Task<JsonElement> OutcomeAsync(IPage page, string label) =>
        await page.EvaluateAsync<JsonElement>(Outcome, label).WaitAsync(TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs * 2));
}
