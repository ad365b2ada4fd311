namespace Enslavism.Browser.Tests;

/// <summary>
/// A slave that registers with the master over protocol version 1, answers every client's offer, and echoes each text
/// message on each data channel back as <c>"echo:" + text</c>. The compatibility tests only use this seam, so the
/// in-page WebRTC slave (<see cref="PageEchoSlave"/>) can be replaced by a .NET slave on our own WebRTC stack.
/// </summary>
public interface IEchoSlave : IAsyncDisposable
{
    /// <summary>The id the master gave this slave (learnt from the master: a version-1 slave is never told).</summary>
    uint Id { get; }

    /// <summary>Waits until a client opened a data channel with this label.</summary>
    Task<EchoSlaveChannel> WaitForChannelAsync(string label);

    /// <summary>Waits until the channel with this label received <paramref name="text"/>.</summary>
    Task WaitForMessageAsync(string label, string text);

    /// <summary>Waits until the channel with this label closed.</summary>
    Task WaitForChannelClosedAsync(string label);

    /// <summary>Sends Register again with new user data (version 1 has no update message).</summary>
    Task RegisterAgainAsync(string userDataJson);

    /// <summary>What the slave received over signaling so far.</summary>
    Task<EchoSlaveSignaling> SignalingAsync();
}

/// <summary>How the slave saw a data channel the client opened.</summary>
public sealed record EchoSlaveChannel(string Label, bool Ordered, int? MaxRetransmits, string Protocol);

/// <summary>Counts of what arrived from clients through the master; candidate counts are null for a slave that cannot see them.</summary>
public sealed record EchoSlaveSignaling(int Offers, int? ClientCandidates, int? ClientEndOfCandidates, IReadOnlyList<string> CandidateErrors);

/// <summary>Which echo slave a test runs against.</summary>
public enum EchoSlaveKind
{
    /// <summary>The real .NET slave (<c>EnslavismSlave</c>) on our WebRTC stack.</summary>
    Net,

    /// <summary>A slave in a Chromium page on the browser's WebRTC stack; the only one that can send the null end-of-candidates.</summary>
    Page,
}

/// <summary>How the slave signals.</summary>
/// <param name="UserDataJson">The user data it registers with.</param>
/// <param name="SendEndOfCandidates">
/// Whether it relays its own end-of-candidates (the null candidate, which protocol version 1 can carry). The 0.9 Node
/// slave never sent it, and the 0.9 browser client cannot take it.
/// </param>
public sealed record EchoSlaveOptions(string UserDataJson, bool SendEndOfCandidates);

/// <summary>The one place that chooses the echo slave implementation.</summary>
internal static class EchoSlaves
{
    public static Task<IEchoSlave> StartAsync(
        EchoSlaveKind kind, BrowserFixture browser, MasterServer master, EchoSlaveOptions options, Xunit.Abstractions.ITestOutputHelper output) => kind switch
        {
            EchoSlaveKind.Net => NetEchoSlave.StartAsync(master, options),
            EchoSlaveKind.Page => PageEchoSlave.StartAsync(browser, master, options, output),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
}
