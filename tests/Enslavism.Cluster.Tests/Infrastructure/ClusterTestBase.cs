using Enslavism.Grains.Postgres;
using Npgsql;

namespace Enslavism.Cluster.Tests.Infrastructure;

/// <summary>Gives each test its own database on the shared server and disposes every node it started.</summary>
public abstract class ClusterTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly List<TestNode> _nodes = [];

    protected ClusterTestBase(PostgresServer server) => Server = server;

    protected PostgresServer Server { get; }

    protected string ConnectionString { get; private set; } = "";

    public virtual async Task InitializeAsync() => ConnectionString = await Server.CreateDatabaseAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    protected async Task<TestNode> StartNodeAsync(string name, Action<PostgresClusterOptions>? configure = null)
    {
        var node = await TestNode.StartAsync(ConnectionString, name, configure);
        _nodes.Add(node);
        return node;
    }

    protected async Task<TestNode[]> StartNodesAsync(int count, Action<PostgresClusterOptions>? configure = null) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => StartNodeAsync($"node-{(char)('a' + i)}", configure)));

    protected async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
