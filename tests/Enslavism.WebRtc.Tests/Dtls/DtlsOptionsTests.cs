using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class DtlsOptionsTests
{
    [Fact]
    public void Default_MatchesDesign()
    {
        var options = DtlsOptions.Default;
        Assert.Equal(TimeSpan.FromSeconds(10), options.HandshakeTimeout);
        Assert.Equal(1200, options.Mtu);
        Assert.True(options.UseBclAesGcm);
        options.Validate();
    }

    public static TheoryData<DtlsOptions> InvalidOptions() =>
    [
        new DtlsOptions { HandshakeTimeout = TimeSpan.Zero },
        new DtlsOptions { Mtu = 100 },
        new DtlsOptions { Mtu = 1400, MaxInboundDatagramSize = 1300 },
        new DtlsOptions { MaxQueuedInboundDatagrams = 0 },
        new DtlsOptions { MaxQueuedTransmitBytes = 10 },
        new DtlsOptions { MaxRecordsPerDatagram = 0 },
    ];

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_Nonsense_Throws(DtlsOptions options)
    {
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new BcDtlsEngine(DtlsRole.Server, DtlsTestSupport.ServerIdentity, [DtlsTestSupport.ClientIdentity.Fingerprint], options));
    }

    [Fact]
    public void Engine_WithoutRemoteFingerprint_Throws() =>
        Assert.Throws<ArgumentException>(() => new BcDtlsEngine(DtlsRole.Server, DtlsTestSupport.ServerIdentity, []));
}
