using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost;

/// <summary>Rejects <see cref="SlaveOptions"/> that would disable a bound or a timeout.</summary>
public sealed class SlaveOptionsValidator : IValidateOptions<SlaveOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, SlaveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        RequirePositive(failures, nameof(options.ConnectTimeout), options.ConnectTimeout);
        RequirePositive(failures, nameof(options.KeepAliveInterval), options.KeepAliveInterval);
        if (options.KeepAliveTimeout != Timeout.InfiniteTimeSpan)
        {
            RequirePositive(failures, nameof(options.KeepAliveTimeout), options.KeepAliveTimeout);
        }

        RequirePositive(failures, nameof(options.AnswerTimeout), options.AnswerTimeout);
        RequirePositive(failures, nameof(options.CloseTimeout), options.CloseTimeout);
        RequireRange(failures, nameof(options.MaxOutgoingFrames), options.MaxOutgoingFrames, 1, 1_000_000);
        RequireRange(failures, nameof(options.MaxIncomingFrameBytes), options.MaxIncomingFrameBytes, 64, 16 * 1024 * 1024);
        RequireRange(failures, nameof(options.MaxClients), options.MaxClients, 1, 1_000_000);
        RequireRange(failures, nameof(options.MaxKnownClients), options.MaxKnownClients, 1, 1_000_000);
        RequireRange(failures, nameof(options.MaxPendingCandidatesPerClient), options.MaxPendingCandidatesPerClient, 1, 10_000);
        RequireRange(failures, nameof(options.MaxRejectionReasonBytes), options.MaxRejectionReasonBytes, 0, 1024 * 1024);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when the options are invalid.</summary>
    public static void ThrowIfInvalid(SlaveOptions options)
    {
        var result = new SlaveOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SlaveOptions), result.Failures);
        }
    }

    private static void RequirePositive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > MaxTimeout)
        {
            failures.Add($"{name} must be greater than zero and at most one day (was {value}).");
        }
    }

    private static void RequireRange(List<string> failures, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{name} must be from {min} to {max} (was {value}).");
        }
    }
}
