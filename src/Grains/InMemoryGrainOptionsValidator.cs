using Microsoft.Extensions.Options;

namespace Enslavism.Grains;

/// <summary>Validates <see cref="InMemoryGrainOptions"/>.</summary>
public sealed class InMemoryGrainOptionsValidator : IValidateOptions<InMemoryGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, InMemoryGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IdQuarantine < TimeSpan.Zero)
        {
            failures.Add($"{nameof(options.IdQuarantine)} must not be negative.");
        }

        if (options.MaxId < options.FirstId)
        {
            failures.Add($"{nameof(options.MaxId)} must be at least {nameof(options.FirstId)}.");
        }

        if (options.StartId is { } start && (start < options.FirstId || start > options.MaxId))
        {
            failures.Add($"{nameof(options.StartId)} must lie between {nameof(options.FirstId)} and {nameof(options.MaxId)}.");
        }

        if (options.MaxPendingChangesPerObserver < 1)
        {
            failures.Add($"{nameof(options.MaxPendingChangesPerObserver)} must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
