using Microsoft.Extensions.Options;

namespace Enslavism.Gateway.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new EnslavismMasterOptionsValidator().Validate(null, new EnslavismMasterOptions()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(EnslavismMasterOptions.MaxUserDataBytes))]
    [InlineData(nameof(EnslavismMasterOptions.MaxFrameBytes))]
    [InlineData(nameof(EnslavismMasterOptions.MaxSnapshotFrameBytes))]
    [InlineData(nameof(EnslavismMasterOptions.SendQueueFrames))]
    [InlineData(nameof(EnslavismMasterOptions.SendQueueBytes))]
    [InlineData(nameof(EnslavismMasterOptions.KeepAliveInterval))]
    [InlineData(nameof(EnslavismMasterOptions.AuthTimeout))]
    [InlineData(nameof(EnslavismMasterOptions.MaxClientConnections))]
    [InlineData(nameof(EnslavismMasterOptions.AllowedOrigins))]
    public void InvalidValue_IsReportedByName(string property)
    {
        var options = new EnslavismMasterOptions();
        switch (property)
        {
            case nameof(EnslavismMasterOptions.MaxUserDataBytes): options.MaxUserDataBytes = 65536; break;
            case nameof(EnslavismMasterOptions.MaxFrameBytes): options.MaxFrameBytes = 1000; break;
            case nameof(EnslavismMasterOptions.MaxSnapshotFrameBytes): options.MaxSnapshotFrameBytes = 65535; break;
            case nameof(EnslavismMasterOptions.SendQueueFrames): options.SendQueueFrames = 0; break;
            case nameof(EnslavismMasterOptions.SendQueueBytes): options.SendQueueBytes = 100; break;
            case nameof(EnslavismMasterOptions.KeepAliveInterval): options.KeepAliveInterval = TimeSpan.FromSeconds(-1); break;
            case nameof(EnslavismMasterOptions.AuthTimeout): options.AuthTimeout = TimeSpan.Zero; break;
            case nameof(EnslavismMasterOptions.MaxClientConnections): options.MaxClientConnections = 0; break;
            default: options.AllowedOrigins.Add("game.example/path"); break;
        }

        var result = new EnslavismMasterOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(property.Replace("Interval", string.Empty, StringComparison.Ordinal), result.FailureMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InvalidOptions_FailTheHostAtStartup()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => Infrastructure.MasterTestHost.StartAsync(o => o.MaxUserDataBytes = 70_000));

        Assert.Contains(nameof(EnslavismMasterOptions.MaxUserDataBytes), error.Message, StringComparison.Ordinal);
    }
}
