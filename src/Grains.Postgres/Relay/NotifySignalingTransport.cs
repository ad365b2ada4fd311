using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using Enslavism.Grains.Postgres.Diagnostics;
using Enslavism.Signaling;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Grains.Postgres.Relay;

/// <summary>
/// Signaling over <c>NOTIFY ens_n_&lt;node&gt;</c>. One sender loop on one connection keeps messages in order (an
/// offer must reach a slave before its ICE candidates). Payloads over the 8000-byte NOTIFY limit go through an
/// <c>ens_relay</c> row whose id is notified instead; the receiver deletes the row as it reads it.
/// Every payload carries the sender's node id and a per-destination sequence number (see <see cref="RelayPayload"/>):
/// PostgreSQL delivers identical notifications of one transaction only once, and a batch may be sent twice.
/// </summary>
internal sealed partial class NotifySignalingTransport : ISignalingTransport, IAsyncDisposable
{
    /// <summary>PostgreSQL rejects NOTIFY payloads of 8000 bytes or more.</summary>
    internal const int MaxNotifyPayloadBytes = 7999;

    private const int MaxBatch = 64;

    /// <summary>The first attempt and one retry on a fresh connection.</summary>
    private const int SendAttempts = 2;

    private readonly ClusterNodeContext _context;
    private readonly Channel<(long Node, RelayEnvelope Envelope)> _outgoing;
    private readonly Channel<string> _incomingRaw;
    private readonly Channel<RelayEnvelope> _incoming;
    private readonly SignalingLimits _limits;
    private readonly RelaySequencer _sequencer;
    private readonly RelaySequenceTracker _tracker;
    private readonly CancellationTokenSource _stop = new();
    private Task _sendLoop = Task.CompletedTask;
    private Task _receiveLoop = Task.CompletedTask;

    public NotifySignalingTransport(ClusterNodeContext context)
    {
        _context = context;
        var options = context.Options;
        _outgoing = Channel.CreateBounded<(long, RelayEnvelope)>(
            new BoundedChannelOptions(options.RelayOutgoingQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _incomingRaw = Channel.CreateBounded<string>(
            new BoundedChannelOptions(options.RelayIncomingQueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _incoming = Channel.CreateBounded<RelayEnvelope>(
            new BoundedChannelOptions(options.RelayIncomingQueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _limits = new SignalingLimits { MaxFrameBytes = options.MaxRelayFrameBytes };
        _sequencer = new RelaySequencer(context);
        _tracker = new RelaySequenceTracker(context.Metrics);
    }

    public ChannelReader<RelayEnvelope> Incoming => _incoming.Reader;

    public static string ChannelName(long nodeId) => "ens_n_" + nodeId.ToString("x", CultureInfo.InvariantCulture);

    public void Start()
    {
        _sendLoop = Task.Run(() => SendLoopAsync(_stop.Token));
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_stop.Token));
    }

    public bool TrySend(long nodeId, RelayEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (_outgoing.Writer.TryWrite((nodeId, envelope)))
        {
            return true;
        }

        _context.Metrics.RelayDropped(RelayDropReason.QueueFull);
        return false;
    }

    /// <summary>Called from the listener connection's notification handler: must not block.</summary>
    public void OnNotification(string payload)
    {
        if (!_incomingRaw.Writer.TryWrite(payload))
        {
            _context.Metrics.RelayDropped(RelayDropReason.QueueFull);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        _incomingRaw.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_sendLoop, _receiveLoop);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(long Node, RelayEnvelope Envelope)>(MaxBatch);
        NpgsqlConnection? connection = null;
        var connectionGeneration = 0;
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(cancellationToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _outgoing.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                // Sequence numbers are assigned once, so a retry re-sends the same ones and the receiver can drop a
                // batch it already got.
                var prepared = _sequencer.Prepare(batch);
                if (prepared.Count == 0)
                {
                    continue;
                }

                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        if (connection is not null && connectionGeneration != _context.SessionGeneration)
                        {
                            // The node started a new backplane session since this connection opened (e.g. the server
                            // restarted): it is probably dead, and would cost the next batch.
                            await connection.DisposeAsync();
                            connection = null;
                        }

                        if (connection is null)
                        {
                            connectionGeneration = _context.SessionGeneration;
                            connection = await _context.DataSource.OpenConnectionAsync(cancellationToken);
                        }

                        await ExecuteBatchAsync(connection, prepared, cancellationToken);
                        break;
                    }
                    catch (Exception e) when (ClusterNodeContext.IsTransient(e) && !cancellationToken.IsCancellationRequested)
                    {
                        if (connection is not null)
                        {
                            await connection.DisposeAsync();
                            connection = null;
                        }

                        if (attempt < SendAttempts)
                        {
                            // Once, at once, on a fresh connection: a stale pooled or pre-restart connection is the
                            // usual cause. Safe even if the batch had committed: the receiver drops repeated sequences.
                            Log.SendRetried(_context.Logger, prepared.Count, e);
                            continue;
                        }

                        // At most once: later messages are not held back behind a batch the backplane refuses.
                        _context.Metrics.RelayDropped(RelayDropReason.BackplaneUnavailable, prepared.Count);
                        Log.SendFailed(_context.Logger, prepared.Count, e);
                        await Task.Delay(_context.Options.ReconnectInitialDelay, _context.TimeProvider, cancellationToken);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task ExecuteBatchAsync(NpgsqlConnection connection, List<RelayNotification> items, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var item in items)
        {
            var command = new NpgsqlBatchCommand();
            if (item.Inline is { } inline)
            {
                command.CommandText = "SELECT pg_notify($1, $2)";
                command.Parameters.Add(new NpgsqlParameter { Value = ChannelName(item.Node) });
                command.Parameters.Add(new NpgsqlParameter { Value = inline });
            }
            else
            {
                // The FK to ens_nodes makes a row for a vanished node fail the batch; check it first instead.
                command.CommandText = """
                    WITH r AS (INSERT INTO ens_relay (node_id, payload) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM ens_nodes WHERE id = $1) RETURNING id)
                    SELECT pg_notify($3, $4 || r.id) FROM r
                    """;
                command.Parameters.Add(new NpgsqlParameter { Value = item.Node });
                command.Parameters.Add(new NpgsqlParameter { Value = item.Bytes });
                command.Parameters.Add(new NpgsqlParameter { Value = ChannelName(item.Node) });
                command.Parameters.Add(new NpgsqlParameter { Value = item.RowPrefix });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        foreach (var item in items)
        {
            _context.Metrics.RelaySent(item.Inline is null ? "table" : "notify");
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var payload in _incomingRaw.Reader.ReadAllAsync(cancellationToken))
            {
                if (!RelayPayload.TryParse(payload, out var header))
                {
                    _context.Metrics.RelayDropped(RelayDropReason.Malformed);
                    Log.Malformed(_context.Logger, payload.Length);
                    continue;
                }

                // Read (and so delete) a relay row even when it turns out to be a repeat.
                var bytes = await ReadPayloadAsync(header, cancellationToken);
                if (!_tracker.Accept(header.Sender, header.Sequence))
                {
                    continue;
                }

                if (bytes is null || !RelayEnvelope.TryDeserialize(bytes, _limits, out var envelope))
                {
                    _context.Metrics.RelayDropped(RelayDropReason.Malformed);
                    Log.Malformed(_context.Logger, payload.Length);
                    continue;
                }

                _context.Metrics.RelayReceived();
                if (!_incoming.Writer.TryWrite(envelope!))
                {
                    _context.Metrics.RelayDropped(RelayDropReason.QueueFull);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    private async Task<byte[]?> ReadPayloadAsync(RelayPayload header, CancellationToken cancellationToken)
    {
        if (!header.IsRow)
        {
            var buffer = new byte[header.Body.Length * 3 / 4];
            return Convert.TryFromBase64Chars(header.Body.Span, buffer, out var written) ? buffer[..written] : null;
        }

        if (!long.TryParse(header.Body.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var rowId))
        {
            return null;
        }

        try
        {
            await using var command = _context.DataSource.CreateCommand(
                "DELETE FROM ens_relay WHERE id = $1 AND node_id = $2 RETURNING payload");
            command.Parameters.Add(new NpgsqlParameter { Value = rowId });
            command.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
            return await command.ExecuteScalarAsync(cancellationToken) as byte[];
        }
        catch (Exception e) when (e is DbException || ClusterNodeContext.IsTransient(e))
        {
            Log.SendFailed(_context.Logger, 1, e);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Dropped {Count} cross-node signaling messages: backplane unavailable")]
        public static partial void SendFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Dropped a malformed cross-node signaling payload of {Length} characters")]
        public static partial void Malformed(ILogger logger, int length);

        [LoggerMessage(3, LogLevel.Information, "Sending {Count} cross-node signaling messages failed; retrying once on a new connection")]
        public static partial void SendRetried(ILogger logger, int count, Exception exception);
    }
}
