using Enslavism.WebRtc.Dtls;

namespace Enslavism.WebRtc.Tests.Dtls;

public sealed class DtlsRecordScannerTests
{
    [Fact]
    public void TryScan_CapturedClientHelloFlight_FindsClientHello()
    {
        // First datagram of a real handshake produced by our client engine.
        using var pair = EnginePair.Create();
        pair.Handshake();
        var clientHello = pair.ClientToServer[0];

        Assert.True(DtlsRecordScanner.TryScan(clientHello, out var summary, out var error));
        Assert.Equal(DtlsRecordParseError.None, error);
        Assert.True(summary.ContainsClientHello);
        Assert.Equal(1, summary.HandshakeRecords);

        // The server's first flight (ServerHello…ServerHelloDone) is handshake-only and has no ClientHello.
        Assert.True(DtlsRecordScanner.TryScan(pair.ServerToClient[0], out var serverSummary, out _));
        Assert.False(serverSummary.ContainsClientHello);
        Assert.Equal(serverSummary.RecordCount, serverSummary.HandshakeRecords);
    }

    [Fact]
    public void TryScan_ThreeRecords_CountsByType()
    {
        var datagram = Record(DtlsContentType.ChangeCipherSpec, 0, [1])
            .Concat(Record(DtlsContentType.ApplicationData, 1, new byte[40]))
            .Concat(Record(DtlsContentType.Alert, 1, [1, 0]))
            .ToArray();

        Assert.True(DtlsRecordScanner.TryScan(datagram, out var summary, out _));
        Assert.Equal(new DtlsDatagramSummary(3, 0, 1, 1, false), summary);
    }

    [Theory]
    [InlineData(0, DtlsRecordParseError.Empty)]
    [InlineData(1, DtlsRecordParseError.LengthExceedsDatagram)]
    [InlineData(2, DtlsRecordParseError.TruncatedHeader)]
    public void TryScan_Broken_ReturnsTypedError(int variant, DtlsRecordParseError expected)
    {
        var record = Record(DtlsContentType.ApplicationData, 1, new byte[20]);
        byte[] datagram = variant switch
        {
            0 => [],
            1 => record[..^1],
            _ => [.. record, 0x17, 0xFE],
        };

        Assert.False(DtlsRecordScanner.TryScan(datagram, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryScan_MoreRecordsThanLimit_Refused()
    {
        var datagram = Enumerable.Range(0, 5).SelectMany(_ => Record(DtlsContentType.ApplicationData, 1, [])).ToArray();
        Assert.True(DtlsRecordScanner.TryScan(datagram, out _, out _, maxRecords: 5));
        Assert.False(DtlsRecordScanner.TryScan(datagram, out _, out var error, maxRecords: 4));
        Assert.Equal(DtlsRecordParseError.TooManyRecords, error);
    }

    [Fact]
    public void TryScan_RandomAndMutatedBytes_NeverThrowAndCountsAreConsistent()
    {
        var random = new Random(99);
        var valid = Record(DtlsContentType.Handshake, 0, [1, 0, 0, 5]).Concat(Record(DtlsContentType.ApplicationData, 1, new byte[30])).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                input = input[..random.Next(input.Length + 1)];
            }

            if (DtlsRecordScanner.TryScan(input, out var summary, out var error))
            {
                Assert.Equal(DtlsRecordParseError.None, error);
                Assert.InRange(summary.HandshakeRecords + summary.ApplicationDataRecords + summary.AlertRecords, 0, summary.RecordCount);
            }
            else
            {
                Assert.NotEqual(DtlsRecordParseError.None, error);
            }
        }
    }

    internal static byte[] Record(DtlsContentType type, ushort epoch, byte[] fragment)
    {
        var bytes = new byte[DtlsRecordHeader.Size + fragment.Length];
        new DtlsRecordHeader(type, DtlsRecordHeader.Dtls12Version, epoch, 7, (ushort)fragment.Length).WriteTo(bytes);
        fragment.CopyTo(bytes, DtlsRecordHeader.Size);
        return bytes;
    }
}
