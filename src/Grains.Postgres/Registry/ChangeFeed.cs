using System.Data;
using Enslavism.Signaling;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Grains.Postgres.Registry;

/// <summary>
/// Moves the replica forward from the change log. NOTIFY only wakes it; the table is the truth, so a lost or
/// coalesced notification costs latency, never a change. A hole before the next row (pruned log) or a head behind
/// the cursor (recreated database) triggers a snapshot resync.
/// </summary>
internal sealed partial class ChangeFeed
{
    private readonly ClusterNodeContext _context;
    private readonly SlaveListReplica _replica;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _announced;
    private bool _resyncRequired = true;

    public ChangeFeed(ClusterNodeContext context, SlaveListReplica replica)
    {
        _context = context;
        _replica = replica;
    }

    /// <summary>Records a sequence number seen in a NOTIFY payload (for the lag gauge).</summary>
    public void Announce(long sequence)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _announced);
            if (sequence <= current)
            {
                break;
            }
        }
        while (Interlocked.CompareExchange(ref _announced, sequence, current) != current);

        UpdatePending();
    }

    /// <summary>Forces the next catch-up to start from a snapshot (new session, new database epoch).</summary>
    public void RequireResync() => _resyncRequired = true;

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                if (_resyncRequired)
                {
                    await ResyncAsync(cancellationToken);
                    _resyncRequired = false;
                }

                var (head, changes) = await ReadAfterAsync(_replica.Cursor, cancellationToken);
                if (changes.Count == 0)
                {
                    if (head != _replica.Cursor)
                    {
                        Log.GapDetected(_context.Logger, _replica.Cursor, head);
                        _resyncRequired = true;
                        continue;
                    }

                    break;
                }

                if (changes[0].Change.Sequence != _replica.Cursor + 1)
                {
                    Log.GapDetected(_context.Logger, _replica.Cursor, changes[0].Change.Sequence);
                    _resyncRequired = true;
                    continue;
                }

                await _replica.ApplyAsync([.. changes.Select(c => c.Change)]);
                foreach (var (_, lag) in changes)
                {
                    _context.Metrics.ChangeApplied(lag);
                }

                if (changes.Count < _context.Options.CatchUpBatchSize)
                {
                    break;
                }
            }
        }
        finally
        {
            _gate.Release();
            Announce(_replica.Cursor);
            UpdatePending();
        }
    }

    private void UpdatePending() =>
        _context.Metrics.PendingChanges = Math.Max(0, Interlocked.Read(ref _announced) - _replica.Cursor);

    private async Task<(long Head, List<(LoggedChange Change, double Lag)> Changes)> ReadAfterAsync(
        long cursor, CancellationToken cancellationToken)
    {
        // One statement, one snapshot: the head and the rows agree, so an empty result with head > cursor is a real hole.
        await using var command = _context.DataSource.CreateCommand("""
            SELECT h.seq, c.seq, c.slave_id, c.user_data, extract(epoch FROM clock_timestamp() - c.at)::float8
              FROM ens_log_head h
              LEFT JOIN LATERAL (SELECT * FROM ens_slave_changes WHERE seq > $1 ORDER BY seq LIMIT $2) c ON true
             ORDER BY c.seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cursor });
        command.Parameters.Add(new NpgsqlParameter { Value = _context.Options.CatchUpBatchSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long head = 0;
        var changes = new List<(LoggedChange, double)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            head = reader.GetInt64(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var userData = reader.IsDBNull(3) ? null : ParseUserData((byte[])reader.GetValue(3));
            changes.Add((new LoggedChange(reader.GetInt64(1), checked((uint)reader.GetInt64(2)), userData), reader.GetDouble(4)));
        }

        return (head, changes);
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _context.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long head;
        await using (var command = new NpgsqlCommand("SELECT seq FROM ens_log_head", connection, transaction))
        {
            head = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var rows = new List<SlaveEntry>();
        await using (var command = new NpgsqlCommand("SELECT id, user_data FROM ens_slaves ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new SlaveEntry(checked((uint)reader.GetInt64(0)), ParseUserData((byte[])reader.GetValue(1))));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        _context.Metrics.Resynced();
        await _replica.ResyncAsync(head, rows);
    }

    private static JsonUserData ParseUserData(byte[] utf8) =>
        JsonUserData.TryParse(utf8, out var data, out var error)
            ? data!
            : throw new InvalidDataException($"ens_slaves holds user data that is not JSON ({error}).");

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Change log does not continue cursor {Cursor} (next available {Next}); resyncing from a snapshot")]
        public static partial void GapDetected(ILogger logger, long cursor, long next);
    }
}
