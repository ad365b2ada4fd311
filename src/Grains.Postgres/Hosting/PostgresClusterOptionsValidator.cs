using Microsoft.Extensions.Options;

namespace Enslavism.Grains.Postgres;

/// <summary>Rejects option sets that would break the lease or queue guarantees.</summary>
public sealed class PostgresClusterOptionsValidator : IValidateOptions<PostgresClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("ConnectionString is required.");
        }

        if (string.IsNullOrWhiteSpace(options.NodeName) || options.NodeName.Length > 200)
        {
            failures.Add("NodeName must be 1 to 200 characters.");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add("HeartbeatInterval must be positive.");
        }

        // Two missed heartbeats are tolerated before eviction.
        if (options.LeaseDuration < 2 * options.HeartbeatInterval)
        {
            failures.Add("LeaseDuration must be at least twice HeartbeatInterval.");
        }

        if (options.IdQuarantine < TimeSpan.Zero)
        {
            failures.Add("IdQuarantine must not be negative.");
        }

        if (options.ChangeLogRetention < 1)
        {
            failures.Add("ChangeLogRetention must be at least 1.");
        }

        if (options.CatchUpBatchSize is < 1 or > 100_000)
        {
            failures.Add("CatchUpBatchSize must be between 1 and 100000.");
        }

        if (options.ReconnectInitialDelay <= TimeSpan.Zero || options.ReconnectMaxDelay < options.ReconnectInitialDelay)
        {
            failures.Add("ReconnectInitialDelay must be positive and ReconnectMaxDelay at least as large.");
        }

        if (options.StartupTimeout < TimeSpan.Zero || options.WriteVisibilityTimeout < TimeSpan.Zero || options.RelayRowTtl <= TimeSpan.Zero)
        {
            failures.Add("StartupTimeout and WriteVisibilityTimeout must not be negative; RelayRowTtl must be positive.");
        }

        if (options.RelayOutgoingQueueCapacity < 1 || options.RelayIncomingQueueCapacity < 1)
        {
            failures.Add("Relay queue capacities must be at least 1.");
        }

        if (options.MaxRelayFrameBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("MaxRelayFrameBytes must be between 1024 and 16777216.");
        }

        if (options.CommandTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add("CommandTimeout must be at least one second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
