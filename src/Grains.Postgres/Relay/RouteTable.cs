using Npgsql;

namespace Enslavism.Grains.Postgres.Relay;

/// <summary>Finds the live node holding an id, from <c>ens_ids</c> joined to the current members.</summary>
internal sealed class RouteTable
{
    private readonly ClusterNodeContext _context;

    public RouteTable(ClusterNodeContext context) => _context = context;

    /// <summary>The owning node, or null when no live node holds the id (or the database is unreachable).</summary>
    public async ValueTask<long?> ResolveAsync(EntityKind kind, uint id)
    {
        if (!_context.IsConnected)
        {
            return null;
        }

        try
        {
            await using var command = _context.DataSource.CreateCommand(
                "SELECT i.node_id FROM ens_ids i JOIN ens_nodes n ON n.id = i.node_id WHERE i.kind = $1 AND i.id = $2");
            command.Parameters.Add(new NpgsqlParameter { Value = (short)kind });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)id });
            return await command.ExecuteScalarAsync() as long?;
        }
        catch (Exception e) when (ClusterNodeContext.IsTransient(e))
        {
            return null;
        }
    }
}
