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
/// </summary>
internal sealed partial class NotifySignalingTransport : ISignalingTransport, IAsyncDisposable
{
    /// <summary>PostgreSQL rejects NOTIFY payloads of 8000 bytes or more.</summary>
    internal const int MaxNotifyPayloadBytes = 7999;

    private const int MaxBatch = 64;

    private readonly ClusterNodeContext _context;
    private readonly Channel<(long Node, RelayEnvelope Envelope)> _outgoing;
    private readonly Channel<string> _incomingRaw;
    private readonly Channel<RelayEnvelope> _incoming;
    private readonly SignalingLimits _limits;
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
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(cancellationToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _outgoing.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                try
                {
                    connection ??= await _context.DataSource.OpenConnectionAsync(cancellationToken);
                    await SendBatchAsync(connection, batch, cancellationToken);
                }
                catch (Exception e) when (ClusterNodeContext.IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    // At most once: a batch that met a broken connection is dropped, not retried out of order.
                    _context.Metrics.RelayDropped(RelayDropReason.BackplaneUnavailable, batch.Count);
                    Log.SendFailed(_context.Logger, batch.Count, e);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    await Task.Delay(_context.Options.ReconnectInitialDelay, _context.TimeProvider, cancellationToken);
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

    private async Task SendBatchAsync(NpgsqlConnection connection, List<(long Node, RelayEnvelope Envelope)> items, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var paths = new List<string>(items.Count);
        foreach (var (node, envelope) in items)
        {
            var bytes = envelope.Serialize();
            if (bytes.Length > _context.Options.MaxRelayFrameBytes)
            {
                _context.Metrics.RelayDropped(RelayDropReason.TooLarge);
                continue;
            }

            var inline = "m" + Convert.ToBase64String(bytes);
            var command = new NpgsqlBatchCommand();
            if (inline.Length <= MaxNotifyPayloadBytes)
            {
                command.CommandText = "SELECT pg_notify($1, $2)";
                command.Parameters.Add(new NpgsqlParameter { Value = ChannelName(node) });
                command.Parameters.Add(new NpgsqlParameter { Value = inline });
                paths.Add("notify");
            }
            else
            {
                // The FK to ens_nodes makes a row for a vanished node fail the batch; check it first instead.
                command.CommandText = """
                    WITH r AS (INSERT INTO ens_relay (node_id, payload) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM ens_nodes WHERE id = $1) RETURNING id)
                    SELECT pg_notify($3, 'r' || r.id) FROM r
                    """;
                command.Parameters.Add(new NpgsqlParameter { Value = node });
                command.Parameters.Add(new NpgsqlParameter { Value = bytes });
                command.Parameters.Add(new NpgsqlParameter { Value = ChannelName(node) });
                paths.Add("table");
            }

            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        foreach (var path in paths)
        {
            _context.Metrics.RelaySent(path);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var payload in _incomingRaw.Reader.ReadAllAsync(cancellationToken))
            {
                var bytes = await ReadPayloadAsync(payload, cancellationToken);
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

    private async Task<byte[]?> ReadPayloadAsync(string payload, CancellationToken cancellationToken)
    {
        if (payload.Length < 2)
        {
            return null;
        }

        if (payload[0] == 'm')
        {
            var buffer = new byte[payload.Length * 3 / 4];
            return Convert.TryFromBase64Chars(payload.AsSpan(1), buffer, out var written) ? buffer[..written] : null;
        }

        if (payload[0] != 'r' || !long.TryParse(payload.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var rowId))
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
    }
}
