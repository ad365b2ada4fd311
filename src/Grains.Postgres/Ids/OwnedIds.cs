using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Grains.Postgres.Ids;

/// <summary>
/// The ids this node holds. <c>ens_ids</c> rows are also the routing table (id → node); after an eviction the node
/// reclaims them so its live sockets keep their ids and stay reachable.
/// </summary>
internal sealed partial class OwnedIds
{
    private readonly ClusterNodeContext _context;
    private readonly ConcurrentDictionary<(EntityKind Kind, uint Id), byte> _live = new();

    public OwnedIds(ClusterNodeContext context) => _context = context;

    public void Add(EntityKind kind, uint id) => _live[(kind, id)] = 0;

    public bool Remove(EntityKind kind, uint id) => _live.TryRemove((kind, id), out _);

    public async Task SyncAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var ids = _live.Keys.ToArray();
        await using var command = new NpgsqlCommand("SELECT taken_kind, taken_id FROM ens_sync_node_ids($1, $2, $3)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(k => (short)k.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(k => (long)k.Id).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Only after an outage longer than the quarantine: another node now holds the id, so messages for it
            // go there. The local entity keeps working for its own socket but is unreachable from other nodes.
            Log.IdTaken(_context.Logger, (EntityKind)reader.GetInt16(0), reader.GetInt64(1));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Kind} id {Id} was reassigned to another node while this node was evicted")]
        public static partial void IdTaken(ILogger logger, EntityKind kind, long id);
    }
}
