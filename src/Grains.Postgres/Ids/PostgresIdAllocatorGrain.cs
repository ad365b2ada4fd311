using Npgsql;

namespace Enslavism.Grains.Postgres.Ids;

/// <summary>Cluster-unique u32 ids from <c>ens_ids</c>: wrap-around after 4294967295, quarantine before reuse.</summary>
internal sealed class PostgresIdAllocatorGrain : IIdAllocatorGrain
{
    private readonly ClusterNodeContext _context;
    private readonly OwnedIds _owned;
    private readonly EntityKind _kind;
    private readonly long _maxId;

    public PostgresIdAllocatorGrain(ClusterNodeContext context, OwnedIds owned, EntityKind kind, uint maxId = uint.MaxValue)
    {
        _context = context;
        _owned = owned;
        _kind = kind;
        _maxId = maxId;
    }

    public async ValueTask<uint> AllocateAsync()
    {
        try
        {
            await using var command = _context.DataSource.CreateCommand("SELECT ens_allocate_id($1, $2, $3, $4)");
            command.Parameters.Add(new NpgsqlParameter { Value = (short)_kind });
            command.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
            command.Parameters.Add(new NpgsqlParameter { Value = _context.Options.IdQuarantine });
            command.Parameters.Add(new NpgsqlParameter { Value = _maxId });
            var id = checked((uint)(long)(await command.ExecuteScalarAsync())!);
            _owned.Add(_kind, id);
            return id;
        }
        catch (PostgresException e) when (e.SqlState == "EN002")
        {
            throw new IdSpaceExhaustedException($"All {_kind} ids are live or quarantined.", e);
        }
        catch (Exception e) when (ClusterNodeContext.IsTransient(e))
        {
            // A cluster-unique id cannot be promised without the database. The contract's callers know one failure,
            // "no id available", and refuse the connection with 503; the cause rides along as the inner exception.
            throw new IdSpaceExhaustedException(
                $"No cluster-unique {_kind} id can be issued while the backplane is unavailable.",
                new BackplaneUnavailableException($"Cannot allocate a {_kind} id: the backplane is unavailable.", e));
        }
    }

    public async ValueTask ReleaseAsync(uint id)
    {
        if (!_owned.Remove(_kind, id))
        {
            return;
        }

        try
        {
            await using var command = _context.DataSource.CreateCommand("SELECT ens_release_id($1, $2, $3)");
            command.Parameters.Add(new NpgsqlParameter { Value = (short)_kind });
            command.Parameters.Add(new NpgsqlParameter { Value = _context.NodeId });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)id });
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (ClusterNodeContext.IsTransient(e))
        {
            // The next session's id sync releases every id this node no longer holds.
        }
    }
}
