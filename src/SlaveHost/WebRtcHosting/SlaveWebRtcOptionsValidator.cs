using System.Net;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost.WebRtcHosting;

/// <summary>Rejects <see cref="SlaveWebRtcOptions"/> with unparsable addresses, impossible ports or disabled limits.</summary>
public sealed class SlaveWebRtcOptionsValidator : IValidateOptions<SlaveWebRtcOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaveWebRtcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"BindAddress must be an IP address (was '{options.BindAddress}').");
        }

        foreach (var address in options.AnnouncedAddresses)
        {
            if (!IPAddress.TryParse(address, out var parsed) || parsed.Equals(IPAddress.Any) || parsed.Equals(IPAddress.IPv6Any))
            {
                failures.Add($"AnnouncedAddresses must hold specific IP addresses (was '{address}').");
            }
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Port must be from 0 to 65535 (was {options.Port}).");
        }

        if (options.PortRangeEnd != 0 && (options.Port == 0 || options.PortRangeEnd < options.Port || options.PortRangeEnd > 65535))
        {
            failures.Add($"PortRangeEnd must be 0, or from Port (non-zero) to 65535 (was {options.PortRangeEnd} with Port {options.Port}).");
        }

        if (options.MaxSessions is < 1 or > 1_000_000)
        {
            failures.Add($"MaxSessions must be from 1 to 1000000 (was {options.MaxSessions}).");
        }

        if (options.MaxConcurrentHandshakes is < 1 or > 1024)
        {
            failures.Add($"MaxConcurrentHandshakes must be from 1 to 1024 (was {options.MaxConcurrentHandshakes}).");
        }

        if (options.MaxMessageSize is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"MaxMessageSize must be from 1 KiB to 64 MiB (was {options.MaxMessageSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when the options are invalid.</summary>
    public static void ThrowIfInvalid(SlaveWebRtcOptions options)
    {
        var result = new SlaveWebRtcOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SlaveWebRtcOptions), result.Failures);
        }
    }
}
