using Enslavism.Signaling;
using Microsoft.Extensions.Options;

namespace Enslavism.Gateway;

/// <summary>Validates <see cref="EnslavismMasterOptions"/> at startup.</summary>
public sealed class EnslavismMasterOptionsValidator : IValidateOptions<EnslavismMasterOptions>
{
    public ValidateOptionsResult Validate(string? name, EnslavismMasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxUserDataBytes is < 2 or > SlaveEntry.MaxUserDataBytes)
        {
            failures.Add($"{nameof(options.MaxUserDataBytes)} must be between 2 and {SlaveEntry.MaxUserDataBytes} (the u16 wire limit).");
        }

        if (options.MaxFrameBytes < options.MaxUserDataBytes + 1)
        {
            failures.Add($"{nameof(options.MaxFrameBytes)} must hold a Register frame with the largest user data ({options.MaxUserDataBytes + 1} bytes).");
        }

        if (options.MaxSnapshotFrameBytes < options.MaxUserDataBytes + 7)
        {
            failures.Add($"{nameof(options.MaxSnapshotFrameBytes)} must hold one slave with the largest user data ({options.MaxUserDataBytes + 7} bytes).");
        }

        if (options.SendQueueFrames < 1)
        {
            failures.Add($"{nameof(options.SendQueueFrames)} must be at least 1.");
        }

        if (options.SendQueueBytes < options.MaxSnapshotFrameBytes)
        {
            failures.Add($"{nameof(options.SendQueueBytes)} must hold at least one snapshot frame ({options.MaxSnapshotFrameBytes} bytes).");
        }

        if (options.KeepAliveInterval < TimeSpan.Zero || options.KeepAliveTimeout < TimeSpan.Zero)
        {
            failures.Add($"{nameof(options.KeepAliveInterval)} and {nameof(options.KeepAliveTimeout)} must not be negative.");
        }

        if (options.CloseTimeout <= TimeSpan.Zero || options.AuthTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(options.CloseTimeout)} and {nameof(options.AuthTimeout)} must be positive.");
        }

        if (options.MaxSlaveConnections < 1 || options.MaxClientConnections < 1)
        {
            failures.Add($"{nameof(options.MaxSlaveConnections)} and {nameof(options.MaxClientConnections)} must be at least 1.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (origin != EnslavismMasterOptions.AnyOrigin && !OriginPolicy.IsWellFormedOrigin(origin))
            {
                failures.Add($"{nameof(options.AllowedOrigins)}: '{origin}' is not '*' or an origin like 'https://host[:port]'.");
            }
        }

        if (options.Events is null)
        {
            failures.Add($"{nameof(options.Events)} must not be null.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
