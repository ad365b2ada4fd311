using System.Globalization;
using System.Threading.Channels;
using Enslavism.Grains.Postgres.Grains;
using Enslavism.Grains.Postgres.Ids;
using Enslavism.Grains.Postgres.Registry;
using Enslavism.Grains.Postgres.Relay;
using Enslavism.Grains.Postgres.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Grains.Postgres;

/// <summary>
/// One master node's membership in the cluster. A session is: migrate the schema if needed, open the listener
/// connection, LISTEN, join (the row
/// carries the listener's backend pid), re-register this node's ids and slaves, catch up the change feed, then
/// heartbeat, run the janitor and follow the feed until something breaks. Any failure ends the session; the node keeps
/// its local sockets and starts a new session with exponential backoff.
/// </summary>
public sealed partial class ClusterNode : IAsyncDisposable
{
    private const string ChangesChannel = "ens_slave_changes";

    private readonly ClusterNodeContext _context;
    private readonly SlaveListReplica _replica;
    private readonly ChangeFeed _feed;
    private readonly OwnedSlaves _ownedSlaves;
    private readonly OwnedIds _ownedIds;
    private readonly NotifySignalingTransport _transport;
    private readonly PostgresMasterGrainFactory _factory;
    private readonly Channel<bool> _feedWake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _firstSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _session;
    private Task _supervisor = Task.CompletedTask;
    private Task _dispatcher = Task.CompletedTask;
    private Guid? _epoch;
    private int _sessions;

    internal ClusterNode(ClusterNodeContext context)
    {
        _context = context;
        _replica = new SlaveListReplica(context.Logger);
        _feed = new ChangeFeed(context, _replica);
        _ownedSlaves = new OwnedSlaves(context);
        _ownedSlaves.Evicted += RestartSession;
        _ownedIds = new OwnedIds(context);
        _transport = new NotifySignalingTransport(context);
        var registry = new PostgresSlaveRegistryGrain(context, _replica, _ownedSlaves, WakeFeed);
        _factory = new PostgresMasterGrainFactory(context, registry, _transport, new RouteTable(context), _ownedIds);
    }

    /// <summary>This node's id in <c>ens_nodes</c> (random, fixed for the process lifetime).</summary>
    public long NodeId => _context.NodeId;

    public string NodeName => _context.Options.NodeName;

    /// <summary>True while the node holds a live backplane session.</summary>
    public bool IsConnected => _context.IsConnected;

    public string? LastError => _context.LastError;

    /// <summary>The last change-log position applied to this node's replica.</summary>
    public long FeedCursor => _replica.Cursor;

    /// <summary>Changes announced but not yet applied.</summary>
    public long FeedPending => _context.Metrics.PendingChanges;

    public IMasterGrainFactory GrainFactory => _factory;

    public ISignalingTransport Transport => _transport;

    /// <summary>An allocator over a smaller id space, so tests can reach exhaustion and wrap-around quickly.</summary>
    internal IIdAllocatorGrain CreateIdAllocator(EntityKind kind, uint maxId) =>
        new PostgresIdAllocatorGrain(_context, _ownedIds, kind, maxId);

    /// <summary>Starts the session loop; waits up to the startup timeout for a first session.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _transport.Start();
        _dispatcher = Task.Run(() => _factory.RunDispatcherAsync(_stop.Token), CancellationToken.None);
        _supervisor = Task.Run(() => SuperviseAsync(_stop.Token), CancellationToken.None);
        try
        {
            await _firstSession.Task.WaitAsync(_context.Options.StartupTimeout, _context.TimeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.StartedDegraded(_context.Logger, _context.Options.StartupTimeout);
        }
    }

    /// <summary>Stops the sessions; with <see cref="PostgresClusterOptions.LeaveOnShutdown"/> removes this node's rows at once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_supervisor, _dispatcher).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var wasConnected = _context.IsConnected;
        _context.IsConnected = false;
        _context.Metrics.Connected = false;
        if (_context.Options.LeaveOnShutdown && wasConnected)
        {
            try
            {
                await using var command = _context.DataSource.CreateCommand("SELECT ens_leave($1)");
                command.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (Exception e) when (ClusterNodeContext.IsTransient(e))
            {
                // The janitors will evict this node once its listener is gone.
                Log.LeaveFailed(_context.Logger, e);
            }
        }

        await _transport.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync(CancellationToken.None);
        }

        _stop.Dispose();
        await _context.DisposeAsync();
    }

    private void WakeFeed() => _feedWake.Writer.TryWrite(true);

    private void RestartSession()
    {
        try
        {
            _session?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var delay = _context.Options.ReconnectInitialDelay;
        while (!stopping.IsCancellationRequested)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _session = session;
            try
            {
                await RunSessionAsync(session.Token);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                var wasConnected = _context.IsConnected;
                _context.IsConnected = false;
                _context.Metrics.Connected = false;
                _context.LastError = e.Message;
                Log.SessionLost(_context.Logger, _context.NodeId, delay, e);
                if (wasConnected)
                {
                    delay = _context.Options.ReconnectInitialDelay;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            finally
            {
                _session = null;
            }

            try
            {
                await Task.Delay(delay, _context.TimeProvider, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _context.Options.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task RunSessionAsync(CancellationToken cancellationToken)
    {
        // Every session, not only the first: a database replaced while the node ran gets its schema back.
        await new SchemaMigrator(_context.DataSource, _context.Logger).MigrateAsync(cancellationToken);
        await using var listener = await _context.DataSource.OpenConnectionAsync(cancellationToken);
        listener.Notification += OnNotification;
        await ExecuteAsync(listener, $"LISTEN {ChangesChannel}; LISTEN {NotifySignalingTransport.ChannelName(_context.NodeId)}", cancellationToken);
        await CheckEpochAsync(listener, cancellationToken);
        if (_sessions > 0)
        {
            // After any loss, diff against a fresh snapshot instead of trusting the cursor: a server that crashed with
            // asynchronous commit may have lost, and then reused, the last sequence numbers this node applied.
            // Only real differences are published, so this costs one read, not flaps.
            _feed.RequireResync();
        }

        await JoinAsync(listener, cancellationToken);
        await _ownedIds.SyncAsync(listener, cancellationToken);

        // Before reporting healthy: the signaling sender must not try its next batch on a pre-restart connection.
        _context.NewSession();
        _context.IsConnected = true;
        await _ownedSlaves.SyncAsync(listener, cancellationToken);
        await _feed.CatchUpAsync(cancellationToken);
        _context.Metrics.Connected = true;
        _context.LastError = null;
        if (Interlocked.Increment(ref _sessions) > 1)
        {
            _context.Metrics.Reconnected();
        }

        Log.SessionStarted(_context.Logger, _context.NodeId, _context.Options.NodeName, listener.ProcessID);
        _firstSession.TrySetResult();

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] loops =
        [
            ListenAsync(listener, linked.Token),
            HeartbeatAsync(linked.Token),
            FollowFeedAsync(linked.Token),
        ];
        var first = await Task.WhenAny(loops);
        await linked.CancelAsync();
        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await first;
        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException("The backplane session ended unexpectedly.");
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == ChangesChannel)
        {
            if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                _feed.Announce(sequence);
            }

            WakeFeed();
        }
        else
        {
            _transport.OnNotification(e.Payload);
        }
    }

    private async Task CheckEpochAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT epoch FROM ens_meta", connection);
        var epoch = (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (_epoch is { } known && known != epoch)
        {
            // A different database: log positions from the old one mean nothing.
            Log.EpochChanged(_context.Logger, known, epoch);
            _feed.RequireResync();
        }

        _epoch = epoch;
    }

    private async Task JoinAsync(NpgsqlConnection listener, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ens_nodes (id, name, backend_pid, server_started_at, lease_until)
            VALUES ($1, $2, pg_backend_pid(), pg_postmaster_start_time(), clock_timestamp() + $3)
            ON CONFLICT (id) DO UPDATE SET backend_pid = excluded.backend_pid,
                server_started_at = excluded.server_started_at, lease_until = excluded.lease_until
            RETURNING (xmax = 0)
            """, listener);
        command.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
        command.Parameters.Add(new NpgsqlParameter { Value = _context.Options.NodeName });
        command.Parameters.Add(new NpgsqlParameter { Value = _context.Options.LeaseDuration });
        var inserted = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (inserted && _sessions > 0)
        {
            Log.Rejoined(_context.Logger, _context.NodeId);
        }
    }

    private static async Task ListenAsync(NpgsqlConnection listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            await listener.WaitAsync(cancellationToken);
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_context.Options.HeartbeatInterval, _context.TimeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await using (var renew = _context.DataSource.CreateCommand(
                "UPDATE ens_nodes SET lease_until = clock_timestamp() + $2 WHERE id = $1"))
            {
                renew.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
                renew.Parameters.Add(new NpgsqlParameter { Value = _context.Options.LeaseDuration });
                if (await renew.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    throw new InvalidOperationException("This node was evicted from the cluster; rejoining.");
                }
            }

            await RunJanitorAsync(cancellationToken);

            // A safety net only: NOTIFY already wakes the feed, but a poll per heartbeat bounds any missed wake-up.
            WakeFeed();
        }
    }

    private async Task RunJanitorAsync(CancellationToken cancellationToken)
    {
        var options = _context.Options;
        await using var command = _context.DataSource.CreateCommand("SELECT ens_janitor($1, $2, $3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = options.LeaseDuration });
        command.Parameters.Add(new NpgsqlParameter { Value = options.IdQuarantine });
        command.Parameters.Add(new NpgsqlParameter { Value = options.ChangeLogRetention });
        command.Parameters.Add(new NpgsqlParameter { Value = options.RelayRowTtl });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var evicted = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            evicted++;
            Log.Evicted(_context.Logger, reader.GetInt64(0));
        }

        if (evicted > 0)
        {
            _context.Metrics.Evicted(evicted);
        }
    }

    private async Task FollowFeedAsync(CancellationToken cancellationToken)
    {
        while (await _feedWake.Reader.WaitToReadAsync(cancellationToken))
        {
            _feedWake.Reader.TryRead(out _);
            await _feed.CatchUpAsync(cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Cluster node {NodeId:x} ({Name}) joined; listener backend pid {Pid}")]
        public static partial void SessionStarted(ILogger logger, long nodeId, string name, int pid);

        [LoggerMessage(2, LogLevel.Warning, "Cluster node {NodeId:x} lost its backplane session; reconnecting in {Delay}")]
        public static partial void SessionLost(ILogger logger, long nodeId, TimeSpan delay, Exception exception);

        [LoggerMessage(3, LogLevel.Warning, "Cluster node {NodeId:x} had been evicted; rejoined and re-registered its slaves")]
        public static partial void Rejoined(ILogger logger, long nodeId);

        [LoggerMessage(4, LogLevel.Warning, "Evicted cluster node {NodeId:x}: lease expired or backend gone")]
        public static partial void Evicted(ILogger logger, long nodeId);

        [LoggerMessage(5, LogLevel.Warning, "The backplane database changed (epoch {Old} → {New}); resyncing the slave list")]
        public static partial void EpochChanged(ILogger logger, Guid old, Guid @new);

        [LoggerMessage(6, LogLevel.Warning, "No backplane session within {Timeout}; starting degraded and retrying in the background")]
        public static partial void StartedDegraded(ILogger logger, TimeSpan timeout);

        [LoggerMessage(7, LogLevel.Warning, "Could not leave the cluster gracefully")]
        public static partial void LeaveFailed(ILogger logger, Exception exception);
    }
}
