using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class DtlsRecordHeaderTests
{
    // application_data, DTLS 1.2, epoch 1, sequence 0x0000_0102_0304, length 0x0123
    private static readonly byte[] Golden = Convert.FromHexString("17FEFD00010000010203040123");

    [Fact]
    public void TryParse_Golden_DecodesAndReencodesIdentically()
    {
        Assert.True(DtlsRecordHeader.TryParse(Golden, out var header, out var error));
        Assert.Equal(DtlsRecordParseError.None, error);
        Assert.Equal(new DtlsRecordHeader(DtlsContentType.ApplicationData, 0xFEFD, 1, 0x0102_0304UL, 0x0123), header);

        var written = new byte[DtlsRecordHeader.Size];
        header.WriteTo(written);
        Assert.Equal(Golden, written);
    }

    [Fact]
    public void TryParse_MaxSequence_RoundTrips()
    {
        var header = new DtlsRecordHeader(DtlsContentType.Handshake, DtlsRecordHeader.Dtls10Version, 0xFFFF, (1UL << 48) - 1, 0);
        var bytes = new byte[DtlsRecordHeader.Size];
        header.WriteTo(bytes);
        Assert.Equal(Convert.FromHexString("16FEFFFFFFFFFFFFFFFFFF0000"), bytes);
        Assert.True(DtlsRecordHeader.TryParse(bytes, out var parsed, out _));
        Assert.Equal(header, parsed);
        Assert.Throws<InvalidOperationException>(() => (header with { SequenceNumber = 1UL << 48 }).WriteTo(bytes));
    }

    [Theory]
    [InlineData("17FEFD000100000102030401", DtlsRecordParseError.TruncatedHeader)]
    [InlineData("13FEFD00010000010203040123", DtlsRecordParseError.UnknownContentType)]
    [InlineData("19FEFD00010000010203040123", DtlsRecordParseError.UnknownContentType)]
    [InlineData("170303000100000102030400FF", DtlsRecordParseError.NotDtlsVersion)]
    [InlineData("17FEFD0001000001020304FFFF", DtlsRecordParseError.FragmentTooLong)]
    public void TryParse_Invalid_ReturnsTypedError(string hex, DtlsRecordParseError expected)
    {
        Assert.False(DtlsRecordHeader.TryParse(Convert.FromHexString(hex), out _, out var error));
        Assert.Equal(expected, error);
    }
}
