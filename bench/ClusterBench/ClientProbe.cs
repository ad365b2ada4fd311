using System.Diagnostics;
using System.Threading.Channels;
using Enslavism.Signaling;

namespace Enslavism.Bench.Cluster;

/// <summary>
/// A client's view of the slave list, built from AddSlaves/RemoveSlaves as a browser builds it, with the arrival time of
/// every add and remove, counts of both (to spot spurious flaps), and a bounded queue of answer arrival times.
/// </summary>
internal sealed class ClientProbe : IAsyncDisposable
{
    /// <summary>Bound on answers waiting to be read; the throughput window is far below it.</summary>
    private const int AnswerQueueCapacity = 65_536;

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, string> _slaves = [];
    private readonly Dictionary<string, long> _addedAt = [];
    private readonly Dictionary<uint, long> _removedAt = [];
    private readonly List<(Func<ClientProbe, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private readonly Channel<long> _answers = Channel.CreateBounded<long>(
        new BoundedChannelOptions(AnswerQueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite });

    private ClientProbe(BenchNode node, BenchPeer peer)
    {
        Node = node;
        Peer = peer;
    }

    public BenchNode Node { get; }

    public BenchPeer Peer { get; }

    public long Adds { get; private set; }

    public long Removes { get; private set; }

    /// <summary>Removals of slaves the view did not list (a protocol violation a browser would trip on).</summary>
    public long UnknownRemoves { get; private set; }

    public ChannelReader<long> Answers => _answers.Reader;

    public static async Task<ClientProbe> ConnectAsync(BenchNode node)
    {
        var probe = new ClientProbe(node, await node.ConnectClientAsync());
        probe.Peer.OnMessage = probe.OnMessage;
        probe.Peer.Start();
        return probe;
    }

    public (long Adds, long Removes) Counts()
    {
        lock (_lock)
        {
            return (Adds, Removes);
        }
    }

    public bool Lists(string userData)
    {
        lock (_lock)
        {
            return _slaves.ContainsValue(userData);
        }
    }

    public bool Lists(uint id)
    {
        lock (_lock)
        {
            return _slaves.ContainsKey(id);
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slaves.Count;
            }
        }
    }

    public uint IdOf(string userData)
    {
        lock (_lock)
        {
            return _slaves.First(s => s.Value == userData).Key;
        }
    }

    public long AddedAt(string userData)
    {
        lock (_lock)
        {
            return _addedAt[userData];
        }
    }

    public long RemovedAt(uint id)
    {
        lock (_lock)
        {
            return _removedAt[id];
        }
    }

    /// <summary>Completes once the condition holds (checked now and after every list change), or times out.</summary>
    public async Task WaitAsync(Func<ClientProbe, bool> condition, TimeSpan timeout)
    {
        var waiter = (Condition: condition, Done: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add(waiter);
        }

        try
        {
            await waiter.Done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }

            throw new TimeoutException($"client on {Node.Name} still waiting after {timeout}; it lists {Count} slaves");
        }
    }

    public ValueTask DisposeAsync() => Peer.DisposeAsync();

    private SignalingMessage? OnMessage(SignalingMessage message, long arrived)
    {
        switch (message)
        {
            case AnswerFromSlave:
                _answers.Writer.TryWrite(arrived);
                break;
            case AddSlaves added:
                lock (_lock)
                {
                    foreach (var slave in added.Slaves)
                    {
                        var userData = slave.UserData.ToString();
                        _slaves[slave.Id] = userData;
                        _addedAt[userData] = arrived;
                        Adds++;
                    }

                    CheckWaiters();
                }

                break;
            case RemoveSlaves removed:
                lock (_lock)
                {
                    foreach (var id in removed.Ids)
                    {
                        if (!_slaves.Remove(id))
                        {
                            UnknownRemoves++;
                        }

                        _removedAt[id] = arrived;
                        Removes++;
                    }

                    CheckWaiters();
                }

                break;
            default:
                break;
        }

        return null;
    }

    private void CheckWaiters()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Condition(this))
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Milliseconds between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
