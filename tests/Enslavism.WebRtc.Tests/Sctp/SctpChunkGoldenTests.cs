using System.Buffers.Binary;
using System.Text;
using Enslavism.WebRtc.Sctp;

namespace Enslavism.WebRtc.Tests.Sctp;

/// <summary>
/// Golden bytes for every chunk and parameter. The expected hex was produced from the RFC layouts by an independent
/// struct.pack script (not by this codec): encode must give identical bytes, decode must give the same fields.
/// </summary>
public sealed class SctpChunkGoldenTests
{
    private static string Encode(SctpChunk chunk)
    {
        var buffer = new byte[chunk.PaddedLength];
        Assert.Equal(chunk.PaddedLength, chunk.WriteTo(buffer));
        return Convert.ToHexString(buffer);
    }

    private static T Decode<T>(string hex)
        where T : SctpChunk
    {
        var bytes = Convert.FromHexString(hex);
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2));
        Assert.True(SctpChunkReader.TryParse(bytes[0], bytes[1], bytes.AsSpan(4, length - 4), out var chunk, out var error), error.Message);
        var typed = Assert.IsType<T>(chunk);
        Assert.Equal(hex, Encode(typed));
        return typed;
    }

    [Fact]
    public void Data_GoldenBytes_RoundTrip()
    {
        const string hex = "0007001511223344000700090000003368656C6C6F000000";
        Assert.Equal(hex, Encode(new DataChunk(0x11223344, 7, 9, 51, "hello"u8.ToArray(), unordered: true, beginning: true, ending: true)));
        var d = Decode<DataChunk>(hex);
        Assert.Equal((0x11223344u, (ushort)7, (ushort)9, 51u), (d.Tsn, d.StreamId, d.Ssn, d.Ppid));
        Assert.True(d.Unordered && d.Beginning && d.Ending && !d.Immediate);
        Assert.Equal("hello", Encoding.ASCII.GetString(d.UserData.Span));
    }

    [Fact]
    public void Init_ChromeLikeGoldenBytes_RoundTrip()
    {
        const string hex = "0100001EA1B2C3D400500000FFFFFFFF01020304C00000048008000682C00000";
        var init = new InitChunk(0xA1B2C3D4, 5242880, 65535, 65535, 0x01020304, [ForwardTsnSupportedParameter.Instance, new SupportedExtensionsParameter([0x82, 0xC0])]);
        Assert.Equal(hex, Encode(init));
        var d = Decode<InitChunk>(hex);
        Assert.Equal((0xA1B2C3D4u, 5242880u, (ushort)65535, (ushort)65535, 0x01020304u), (d.InitiateTag, d.AdvertisedReceiverWindowCredit, d.OutboundStreams, d.InboundStreams, d.InitialTsn));
        Assert.IsType<ForwardTsnSupportedParameter>(d.Parameters[0]);
        Assert.True(d.FindParameter<SupportedExtensionsParameter>()!.Contains(SctpChunkType.ReConfig));
        Assert.True(d.FindParameter<SupportedExtensionsParameter>()!.Contains(SctpChunkType.ForwardTsn));
    }

    [Fact]
    public void InitAck_CookieAndUnknownParameter_RoundTrip()
    {
        const string hex = "02000024010203040002000004000800FFFFFFFE0007000B434F4F4B4945210080010004";
        var ack = new InitAckChunk(0x01020304, 131072, 1024, 2048, 0xFFFFFFFE, [new StateCookieParameter("COOKIE!"u8.ToArray()), new UnknownParameter(0x8001, ReadOnlyMemory<byte>.Empty)]);
        Assert.Equal(hex, Encode(ack));
        var d = Decode<InitAckChunk>(hex);
        Assert.Equal("COOKIE!", Encoding.ASCII.GetString(d.FindParameter<StateCookieParameter>()!.Cookie.Span));
        var unknown = Assert.IsType<UnknownParameter>(d.Parameters[1]);
        Assert.Equal(0x8001, unknown.TypeCode);
        Assert.False(unknown.StopProcessing);
        Assert.False(unknown.Report);
    }

    [Fact]
    public void Init_ZeroTag_Rejected()
    {
        var bytes = Convert.FromHexString("0100001400000000005000000001000101020304");
        Assert.False(SctpChunkReader.TryParse(1, 0, bytes.AsSpan(4), out _, out var error));
        Assert.Equal(SctpParseErrorKind.InvalidValue, error.Kind);
    }

    [Fact]
    public void Sack_GapsAndDuplicates_RoundTrip()
    {
        const string hex = "0300001C000000640001000000020001000200030005000500000063";
        Assert.Equal(hex, Encode(new SackChunk(100, 65536, [new SackGapBlock(2, 3), new SackGapBlock(5, 5)], [99])));
        var d = Decode<SackChunk>(hex);
        Assert.Equal(100u, d.CumulativeTsnAck);
        Assert.Equal(65536u, d.AdvertisedReceiverWindowCredit);
        Assert.Equal([new SackGapBlock(2, 3), new SackGapBlock(5, 5)], d.GapAckBlocks);
        Assert.Equal([99u], d.DuplicateTsns);
    }

    [Fact]
    public void Sack_CountsDisagreeWithLength_Rejected()
    {
        var bytes = Convert.FromHexString("0300001C00000064000100000003000100020003000500050000006300000000");
        Assert.False(SctpChunkReader.TryParse(3, 0, bytes.AsSpan(4, 24), out _, out var error));
        Assert.Equal(SctpParseErrorKind.BadLength, error.Kind);
    }

    [Fact]
    public void Heartbeat_And_HeartbeatAck_RoundTrip()
    {
        Assert.Equal("0400000B0001000761626300", Encode(new HeartbeatChunk("abc"u8.ToArray())));
        Assert.Equal("abc", Encoding.ASCII.GetString(Decode<HeartbeatChunk>("0400000B0001000761626300").Info.Span));
        Assert.Equal("0500000C0001000861626364", Encode(new HeartbeatAckChunk("abcd"u8.ToArray())));
        Assert.Equal("abcd", Encoding.ASCII.GetString(Decode<HeartbeatAckChunk>("0500000C0001000861626364").Info.Span));
    }

    [Fact]
    public void Abort_ReflectedTagAndCause_RoundTrip()
    {
        const string hex = "06010009000C000578000000";
        Assert.Equal(hex, Encode(new AbortChunk(true, [new SctpErrorCause(12, "x"u8.ToArray())])));
        var d = Decode<AbortChunk>(hex);
        Assert.True(d.TagReflected);
        Assert.Equal(12, d.Causes.Single().Code);
    }

    [Fact]
    public void Shutdown_Family_RoundTrip()
    {
        Assert.Equal("07000008DEADBEEF", Encode(new ShutdownChunk(0xDEADBEEF)));
        Assert.Equal(0xDEADBEEFu, Decode<ShutdownChunk>("07000008DEADBEEF").CumulativeTsnAck);
        Assert.Equal("08000004", Encode(ShutdownAckChunk.Instance));
        Decode<ShutdownAckChunk>("08000004");
        Assert.Equal("0E010004", Encode(new ShutdownCompleteChunk(true)));
        Assert.True(Decode<ShutdownCompleteChunk>("0E010004").TagReflected);
    }

    [Fact]
    public void Error_TwoCauses_RoundTrip()
    {
        const string hex = "09000014000600084F0000040001000800050000";
        var chunk = new ErrorChunk([new SctpErrorCause(6, new byte[] { 0x4F, 0, 0, 4 }), new SctpErrorCause(1, new byte[] { 0, 5, 0, 0 })]);
        Assert.Equal(hex, Encode(chunk));
        var d = Decode<ErrorChunk>(hex);
        Assert.Equal([6, 1], d.Causes.Select(c => (int)c.Code));
    }

    [Fact]
    public void CookieEcho_And_CookieAck_RoundTrip()
    {
        Assert.Equal("0A00000B434F4F4B49452100", Encode(new CookieEchoChunk("COOKIE!"u8.ToArray())));
        Assert.Equal("COOKIE!", Encoding.ASCII.GetString(Decode<CookieEchoChunk>("0A00000B434F4F4B49452100").Cookie.Span));
        Assert.Equal("0B000004", Encode(CookieAckChunk.Instance));
        Decode<CookieAckChunk>("0B000004");
    }

    [Fact]
    public void ForwardTsn_StreamPairs_RoundTrip()
    {
        const string hex = "C0000010000003E8000100050003FFFF";
        Assert.Equal(hex, Encode(new ForwardTsnChunk(1000, [new ForwardTsnStream(1, 5), new ForwardTsnStream(3, 65535)])));
        var d = Decode<ForwardTsnChunk>(hex);
        Assert.Equal(1000u, d.NewCumulativeTsn);
        Assert.Equal([new ForwardTsnStream(1, 5), new ForwardTsnStream(3, 65535)], d.Streams);
    }

    [Fact]
    public void ReConfig_OutgoingResetRequest_LastParameterPaddingExcludedFromLength()
    {
        const string hex = "82000016000D00120000000A000000140000001E00010000";
        Assert.Equal(hex, Encode(new ReConfigChunk([new OutgoingSsnResetRequestParameter(10, 20, 30, [1])])));
        var p = Assert.IsType<OutgoingSsnResetRequestParameter>(Decode<ReConfigChunk>(hex).Parameters.Single());
        Assert.Equal((10u, 20u, 30u), (p.RequestSequenceNumber, p.ResponseSequenceNumber, p.SenderLastAssignedTsn));
        Assert.Equal([(ushort)1], p.StreamIds);
    }

    [Fact]
    public void ReConfig_IncomingResetRequest_RoundTrip()
    {
        const string hex = "82000010000E000C0000000B00020004";
        Assert.Equal(hex, Encode(new ReConfigChunk([new IncomingSsnResetRequestParameter(11, [2, 4])])));
        var p = Assert.IsType<IncomingSsnResetRequestParameter>(Decode<ReConfigChunk>(hex).Parameters.Single());
        Assert.Equal(11u, p.RequestSequenceNumber);
        Assert.Equal([(ushort)2, (ushort)4], p.StreamIds);
    }

    [Fact]
    public void ReConfig_Response_RoundTrip()
    {
        const string hex = "820000100010000C0000000A00000001";
        Assert.Equal(hex, Encode(new ReConfigChunk([new ReConfigResponseParameter(10, ReConfigResult.SuccessPerformed)])));
        var p = Assert.IsType<ReConfigResponseParameter>(Decode<ReConfigChunk>(hex).Parameters.Single());
        Assert.Equal((10u, ReConfigResult.SuccessPerformed), (p.ResponseSequenceNumber, p.Result));
    }

    [Fact]
    public void ReConfig_RequestAndResponseTogether_RoundTrip()
    {
        const string hex = "82000024000D0014000000050000000600000007000100030010000C0000000600000000";
        var chunk = new ReConfigChunk([new OutgoingSsnResetRequestParameter(5, 6, 7, [1, 3]), new ReConfigResponseParameter(6, ReConfigResult.SuccessNothingToDo)]);
        Assert.Equal(hex, Encode(chunk));
        Assert.Equal(2, Decode<ReConfigChunk>(hex).Parameters.Count);
    }

    [Fact]
    public void UnknownChunk_HighBits_DecideProcessing()
    {
        var d = Decode<UnknownChunk>("4F000008AABBCCDD");
        Assert.True(d.StopProcessing);
        Assert.True(d.Report);
        var skip = Decode<UnknownChunk>("81000004");
        Assert.False(skip.StopProcessing);
        Assert.False(skip.Report);
    }
}
