using System.Collections.Concurrent;
using Enslavism.SlaveHost;
using Enslavism.SlaveHost.WebRtcHosting;
using Enslavism.Signaling;
using Enslavism.WebRtc.DataChannels;
using Enslavism.WebRtc.Host;

namespace Enslavism.Browser.Tests;

/// <summary>
/// The real .NET slave (<see cref="EnslavismSlave"/> on our WebRTC stack, loopback UDP) echoing like the 0.9 example
/// slave. It never trickles candidates (ICE-lite, all in the answer), and ignores the client's, so it cannot count them.
/// </summary>
internal sealed class NetEchoSlave : IEchoSlave
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(BrowserFixture.WaitTimeoutMs);

    private readonly EnslavismSlave _slave;
    private readonly ConcurrentDictionary<string, ChannelLog> _channels = new();
    private readonly Lock _gate = new();
    private readonly List<Action> _waiters = [];
    private int _offers;

    private NetEchoSlave(EnslavismSlave slave)
    {
        _slave = slave;
        _slave.OfferAdmission = (_, _) =>
        {
            Interlocked.Increment(ref _offers);
            return ValueTask.FromResult(OfferDecision.Accept);
        };
        _slave.ClientConnected += (_, e) => e.Client.DataChannel += (_, opened) => Track(opened.Channel);
    }

    public uint Id { get; private set; }

    public static async Task<IEchoSlave> StartAsync(MasterServer master, EchoSlaveOptions options)
    {
        if (options.SendEndOfCandidates)
        {
            throw new ArgumentException("The .NET slave never trickles candidates; use the in-page slave for the null marker.", nameof(options));
        }

        var echo = new NetEchoSlave(new EnslavismSlave(webRtcOptions: new SlaveWebRtcOptions { BindAddress = "127.0.0.1", LoopbackOnly = true }));
        try
        {
            await echo._slave.ConnectAsync(new Uri(master.BaseUri, "/"), JsonUserData.Parse(options.UserDataJson)).WaitAsync(Bound);
            echo.Id = await master.WaitForRegistrationAsync(options.UserDataJson);
            return echo;
        }
        catch
        {
            await echo.DisposeAsync();
            throw;
        }
    }

    public async Task<EchoSlaveChannel> WaitForChannelAsync(string label)
    {
        await WaitUntilAsync(() => _channels.ContainsKey(label), $"a channel '{label}'");
        return _channels[label].Seen;
    }

    public Task WaitForMessageAsync(string label, string text) =>
        WaitUntilAsync(() => _channels.TryGetValue(label, out var log) && log.Received.Contains(text), $"'{text}' on '{label}'");

    public Task WaitForChannelClosedAsync(string label) =>
        WaitUntilAsync(() => _channels.TryGetValue(label, out var log) && log.Closed, $"channel '{label}' to close");

    public Task RegisterAgainAsync(string userDataJson) =>
        _slave.TryUpdateUserData(JsonUserData.Parse(userDataJson))
            ? Task.CompletedTask
            : throw new InvalidOperationException("The slave could not queue the new Register.");

    public Task<EchoSlaveSignaling> SignalingAsync() =>
        Task.FromResult(new EchoSlaveSignaling(Volatile.Read(ref _offers), ClientCandidates: null, ClientEndOfCandidates: null, CandidateErrors: []));

    public ValueTask DisposeAsync() => _slave.DisposeAsync();

    private void Track(WebRtcDataChannel channel)
    {
        var maxRetransmits = channel.Reliability is Reliability.MaxRetransmitsReliability r ? r.Count : (int?)null;
        var log = new ChannelLog(new EchoSlaveChannel(channel.Label, channel.Ordered, maxRetransmits, channel.Protocol));
        channel.Message += (c, m) =>
        {
            if (m.IsText)
            {
                log.Received.Enqueue(m.Text);
                try
                {
                    c.Send("echo:" + m.Text);
                }
                catch (InvalidOperationException)
                {
                    // Closed between the message and the echo; the test sees the missing echo.
                }
            }

            Changed();
        };
        channel.Close += _ =>
        {
            log.Closed = true;
            Changed();
        };
        _channels[channel.Label] = log;
        Changed();
    }

    private void Changed()
    {
        Action[] waiters;
        lock (_gate)
        {
            waiters = [.. _waiters];
        }

        foreach (var waiter in waiters)
        {
            waiter();
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition())
            {
                done.TrySetResult();
            }
        }

        lock (_gate)
        {
            _waiters.Add(Check);
        }

        try
        {
            Check();
            await done.Task.WaitAsync(Bound);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The .NET echo slave did not see {what} within {Bound}.", e);
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(Check);
            }
        }
    }

    private sealed class ChannelLog(EchoSlaveChannel seen)
    {
        public EchoSlaveChannel Seen { get; } = seen;

        public ConcurrentQueue<string> Received { get; } = new();

        public volatile bool Closed;
    }
}
