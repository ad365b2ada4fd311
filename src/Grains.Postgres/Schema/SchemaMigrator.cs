using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enslavism.Grains.Postgres.Schema;

/// <summary>
/// Creates or upgrades the schema at start. Nodes starting together serialize on an advisory lock, and each version
/// is applied in the same transaction that records it, so a crash mid-migration leaves the previous version intact.
/// </summary>
internal sealed partial class SchemaMigrator
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentVersion = 1;

    private const long MigrationLockKey = 5643921_01;

    private static readonly string[] Migrations = [SchemaV1.Sql];

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public SchemaMigrator(NpgsqlDataSource dataSource, ILogger logger)
    {
        _dataSource = dataSource;
        _logger = logger;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", MigrationLockKey));
        await Execute(
            connection,
            "CREATE TABLE IF NOT EXISTS ens_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())",
            cancellationToken);

        await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM ens_schema_version", connection))
        {
            var version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (version > CurrentVersion)
            {
                throw new InvalidOperationException(
                    $"The database holds Enslavism cluster schema version {version}; this build knows up to {CurrentVersion}.");
            }

            for (var next = version + 1; next <= CurrentVersion; next++)
            {
                await Execute(connection, Migrations[next - 1], cancellationToken);
                await Execute(connection, "INSERT INTO ens_schema_version (version) VALUES (@v)", cancellationToken, ("v", next));
                Log.Migrated(_logger, next);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task Execute(
        NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Enslavism cluster schema migrated to version {Version}")]
        public static partial void Migrated(ILogger logger, int version);
    }
}
