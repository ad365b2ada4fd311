using System.Net;
using Microsoft.Extensions.Options;

namespace Enslavism.Gateway.Demo;

/// <summary>Checks <see cref="DemoOptions"/> when the demo is enabled.</summary>
public sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name) || options.Name.Length > 200)
        {
            failures.Add("Enslavism:Demo:Name must be 1 to 200 characters.");
        }

        if (!IPAddress.TryParse(options.AnnouncedAddress, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            failures.Add($"Enslavism:Demo:AnnouncedAddress must be a specific IP address (was '{options.AnnouncedAddress}').");
        }

        if (options.UdpPort is < 0 or > 65535)
        {
            failures.Add($"Enslavism:Demo:UdpPort must be from 0 to 65535 (was {options.UdpPort}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
