using Enslavism.Signaling;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Grains.Postgres.Registry;

/// <summary>
/// The slaves this node registered, kept locally as the truth for its own share of the list. Writes go straight to the
/// database; when it is unreachable they stay here and <see cref="SyncAsync"/> re-registers them on the next session.
/// </summary>
internal sealed partial class OwnedSlaves
{
    private readonly ClusterNodeContext _context;
    private readonly Dictionary<uint, JsonUserData> _desired = [];

    // Serializes this node's writes so a resync of the whole set cannot resurrect a slave removed concurrently.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public OwnedSlaves(ClusterNodeContext context) => _context = context;

    /// <summary>Raised when a write found this node evicted: the session must rejoin.</summary>
    public event Action? Evicted;

    /// <summary>Records and writes a slave; returns the log position to wait for, or null when the write is deferred.</summary>
    public async Task<long?> AddAsync(SlaveEntry slave, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            _desired[slave.Id] = slave.UserData;
            return await TryWriteAsync(
                "SELECT ens_upsert_slave($1, $2, $3)",
                cancellationToken,
                _context.NodeId,
                (long)slave.Id,
                slave.UserData.Utf8.ToArray());
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<long?> RemoveAsync(uint slaveId, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            // Only the owning node removes a slave: an id named by anyone else is not trusted to remove it.
            if (!_desired.Remove(slaveId))
            {
                return null;
            }

            return await TryWriteAsync("SELECT ens_remove_slave($1, $2)", cancellationToken, _context.NodeId, (long)slaveId);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Makes the database hold exactly this node's slaves; unchanged rows are not rewritten.</summary>
    public async Task SyncAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT ens_sync_node_slaves($1, $2, $3)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
            command.Parameters.Add(new NpgsqlParameter { Value = _desired.Keys.Select(id => (long)id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = _desired.Values.Select(d => d.Utf8.ToArray()).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<long?> TryWriteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        if (!_context.IsConnected)
        {
            return null;
        }

        try
        {
            await using var command = _context.DataSource.CreateCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception e) when (ClusterNodeContext.IsTransient(e))
        {
            // Deferred, not lost: the next session's SyncAsync writes the whole set.
            Log.WriteDeferred(_context.Logger, e);
            if (ClusterNodeContext.IsEvicted(e))
            {
                Evicted?.Invoke();
            }

            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Slave registry write deferred until the backplane session is restored")]
        public static partial void WriteDeferred(ILogger logger, Exception exception);
    }
}
