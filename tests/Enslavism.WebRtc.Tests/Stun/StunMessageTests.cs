using System.Buffers.Binary;
using System.Net;
using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Tests.Stun;

public class StunMessageTests
{
    private static readonly StunTransactionId TxId = new(0x0102030405060708, 0x090A0B0C);

    [Theory]
    [InlineData(StunMessageClass.Request, 0x0001)]
    [InlineData(StunMessageClass.Indication, 0x0011)]
    [InlineData(StunMessageClass.SuccessResponse, 0x0101)]
    [InlineData(StunMessageClass.ErrorResponse, 0x0111)]
    public void EncodeType_Binding_MatchesRfc8489(StunMessageClass messageClass, int expected)
    {
        Assert.Equal(expected, StunMessage.EncodeType(messageClass, StunMethod.Binding));
    }

    [Fact]
    public void Parse_MethodAndClass_RoundTripForAllMethodBits()
    {
        foreach (var method in new ushort[] { 0x001, 0x00F, 0x070, 0xF80, 0xFFF, 0x123 })
        {
            foreach (var messageClass in Enum.GetValues<StunMessageClass>())
            {
                var bytes = new StunMessageWriter(messageClass, method, TxId).ToArray();
                Assert.True(StunMessage.TryParse(bytes, out var message, out _));
                Assert.Equal(method, message!.Method);
                Assert.Equal(messageClass, message.Class);
                Assert.Equal(TxId, message.TransactionId);
            }
        }
    }

    [Fact]
    public void Writer_HeaderOnly_GoldenBytes()
    {
        var bytes = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId).ToArray();
        Assert.Equal(Rfc5769Vectors.Hex("0001 0000 2112a442 0102030405060708090a0b0c"), bytes);
    }

    [Fact]
    public void Writer_AttributesWithPadding_GoldenBytes()
    {
        var writer = new StunMessageWriter(StunMessageClass.SuccessResponse, StunMethod.Binding, TxId);
        StunUsername.Write(writer, "abcde");
        UseCandidate.Write(writer);
        StunPriority.Write(writer, 0x01020304);
        var expected = Rfc5769Vectors.Hex("""
            0101 0018 2112a442 0102030405060708090a0b0c
            0006 0005 6162636465 000000
            0025 0000
            0024 0004 01020304
            """);
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void Writer_IceControllingAndUnknownAttributes_GoldenBytes()
    {
        var writer = new StunMessageWriter(StunMessageClass.ErrorResponse, StunMethod.Binding, TxId);
        IceControlling.Write(writer, 0x0102030405060708);
        UnknownAttributes.Write(writer, [0x0042, 0x0033, 0x7001]);
        var expected = Rfc5769Vectors.Hex("""
            0111 0018 2112a442 0102030405060708090a0b0c
            802a 0008 0102030405060708
            000a 0006 0042 0033 7001 0000
            """);
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void Writer_AttributeAfterFingerprint_Throws()
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId);
        writer.AddFingerprint();
        Assert.Throws<InvalidOperationException>(() => UseCandidate.Write(writer));
    }

    [Fact]
    public void Writer_AttributeAfterIntegrity_Throws()
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId);
        writer.AddMessageIntegrity([1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => UseCandidate.Write(writer));
    }

    [Fact]
    public void RoundTrip_AllIceAttributes_Decode()
    {
        var key = MessageIntegrity.KeyFromPassword("0123456789012345678901");
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId);
        StunUsername.Write(writer, "loca:remo");
        StunPriority.Write(writer, 1853824767);
        IceControlling.Write(writer, 0xDEADBEEFCAFEF00D);
        UseCandidate.Write(writer);
        XorMappedAddress.Write(writer, new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 40000), TxId);
        writer.AddMessageIntegrity(key);
        writer.AddFingerprint();

        Assert.True(StunMessage.TryParse(writer.ToArray(), out var m, out _));
        Assert.True(StunUsername.TryRead(m!, out var username));
        Assert.Equal("loca:remo", username);
        Assert.True(StunPriority.TryRead(m!, out var priority));
        Assert.Equal(1853824767u, priority);
        Assert.True(IceControlling.TryRead(m!, out var tieBreaker));
        Assert.Equal(0xDEADBEEFCAFEF00Dul, tieBreaker);
        Assert.False(IceControlled.TryRead(m!, out _));
        Assert.True(UseCandidate.IsPresent(m!));
        Assert.True(XorMappedAddress.TryRead(m!, out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 40000), mapped); // mapped IPv6 written as IPv4
        Assert.True(MessageIntegrity.Verify(m!, key));
        Assert.True(Fingerprint.Verify(m!));
    }

    [Fact]
    public void RoundTrip_ErrorCodeAndUnknownAttributes_Decode()
    {
        var writer = new StunMessageWriter(StunMessageClass.ErrorResponse, StunMethod.Binding, TxId);
        StunErrorCode.Write(writer, 420, "Unknown Attribute");
        UnknownAttributes.Write(writer, [0x0033, 0x7FFF, 0x0001]);
        writer.AddFingerprint();
        Assert.True(StunMessage.TryParse(writer.ToArray(), out var m, out _));
        Assert.True(StunErrorCode.TryRead(m!, out var error));
        Assert.Equal(new StunErrorCode(420, "Unknown Attribute"), error);
        Assert.True(UnknownAttributes.TryRead(m!, out var types));
        Assert.Equal(new ushort[] { 0x0033, 0x7FFF, 0x0001 }, types);
    }

    [Fact]
    public void ErrorCode_Golden_ClassAndNumberSplit()
    {
        var writer = new StunMessageWriter(StunMessageClass.ErrorResponse, StunMethod.Binding, TxId);
        StunErrorCode.Write(writer, 487, "RC");
        Assert.Equal(Rfc5769Vectors.Hex("0009 0006 0000 0457 5243 0000"), writer.ToArray()[StunMessage.HeaderLength..]);
    }

    [Fact]
    public void Parse_UnknownComprehensionRequired_Listed_OptionalIgnored()
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId);
        writer.AddAttribute(0x0033, [1, 2, 3, 4]);
        writer.AddAttribute(StunAttributeType.GoogNetworkInfo, [0, 1, 0, 10]);
        writer.AddAttribute(0x0033, [5]);
        writer.AddAttribute(0x7ABC, []);
        Assert.True(StunMessage.TryParse(writer.ToArray(), out var m, out _));
        Assert.Equal(new ushort[] { 0x0033, 0x7ABC }, m!.UnknownComprehensionRequired);
    }

    [Fact]
    public void Parse_AttributesAfterIntegrity_IgnoredExceptFingerprint()
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId);
        writer.AddMessageIntegrity([9]);
        var bytes = writer.ToArray().ToList();
        bytes.AddRange(Rfc5769Vectors.Hex("0025 0000 0033 0000")); // USE-CANDIDATE and an unknown required attr after MI
        var array = bytes.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(array.AsSpan(2), (ushort)(array.Length - 20));
        Assert.True(StunMessage.TryParse(array, out var m, out _));
        Assert.False(UseCandidate.IsPresent(m!));
        Assert.Empty(m!.UnknownComprehensionRequired);
    }

    [Theory]
    [InlineData("0001 0000 2112a4", StunParseErrorReason.TooShort)]
    [InlineData("4001 0000 2112a442 000000000000000000000000", StunParseErrorReason.NotStun)]
    [InlineData("0001 0000 2112a443 000000000000000000000000", StunParseErrorReason.BadMagicCookie)]
    [InlineData("0001 0002 2112a442 000000000000000000000000 0000", StunParseErrorReason.BadLength)]
    [InlineData("0001 0004 2112a442 000000000000000000000000", StunParseErrorReason.BadLength)]
    [InlineData("0001 0000 2112a442 000000000000000000000000 00000000", StunParseErrorReason.BadLength)]
    [InlineData("0001 0008 2112a442 000000000000000000000000 0006 0005 61626364", StunParseErrorReason.AttributeTruncated)]
    [InlineData("0001 0008 2112a442 000000000000000000000000 0006 0004 61626364", StunParseErrorReason.None)]
    [InlineData("0001 0008 2112a442 000000000000000000000000 0008 0004 61626364", StunParseErrorReason.InvalidAttribute)]
    [InlineData("0001 0008 2112a442 000000000000000000000000 8028 0002 61620000", StunParseErrorReason.InvalidAttribute)]
    [InlineData("0001 000c 2112a442 000000000000000000000000 8028 0004 00000000 0025 0000", StunParseErrorReason.FingerprintNotLast)]
    public void TryParse_MalformedHeadersAndAttributes_TypedError(string hex, StunParseErrorReason expected)
    {
        var ok = StunMessage.TryParse(Rfc5769Vectors.Hex(hex), out var message, out var error);
        Assert.Equal(expected == StunParseErrorReason.None, ok);
        Assert.Equal(expected, error.Reason);
        Assert.Equal(ok, message is not null);
    }

    [Fact]
    public void TryParse_OverLimits_TypedError()
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId);
        for (var i = 0; i < 5; i++)
        {
            UseCandidate.Write(writer);
        }

        var options = new StunParserOptions { MaxAttributes = 4, MaxMessageBytes = 100 };
        Assert.False(StunMessage.TryParse(writer.ToArray(), options, out _, out var error));
        Assert.Equal(StunParseErrorReason.TooManyAttributes, error.Reason);

        writer.AddAttribute(StunAttributeType.Software, new byte[100]);
        Assert.False(StunMessage.TryParse(writer.ToArray(), options, out _, out error));
        Assert.Equal(StunParseErrorReason.TooLarge, error.Reason);
    }

    [Fact]
    public void TryRead_MalformedAttributeValues_ReturnFalse()
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, TxId);
        writer.AddAttribute(StunAttributeType.XorMappedAddress, [0, 3, 0, 0, 1, 2, 3, 4]); // family 3
        writer.AddAttribute(StunAttributeType.Priority, [1, 2, 3]);
        writer.AddAttribute(StunAttributeType.IceControlling, [1, 2, 3, 4]);
        writer.AddAttribute(StunAttributeType.ErrorCode, [0, 0, 2, 0]); // class 2 is invalid
        writer.AddAttribute(StunAttributeType.UnknownAttributes, [0, 1, 2]);
        writer.AddAttribute(StunAttributeType.Username, [0xFF, 0xFE]); // not UTF-8
        Assert.True(StunMessage.TryParse(writer.ToArray(), out var m, out _));
        Assert.False(XorMappedAddress.TryRead(m!, out _));
        Assert.False(StunPriority.TryRead(m!, out _));
        Assert.False(IceControlling.TryRead(m!, out _));
        Assert.False(StunErrorCode.TryRead(m!, out _));
        Assert.False(UnknownAttributes.TryRead(m!, out _));
        Assert.False(StunUsername.TryRead(m!, out _));
        Assert.False(MessageIntegrity.Verify(m!, [1]));
        Assert.False(Fingerprint.Verify(m!));
    }

    [Fact]
    public void TryGetLocalUfrag_Rfc5769Request_ReturnsFirstHalf()
    {
        Assert.True(StunUsername.TryGetLocalUfrag(Rfc5769Vectors.Request, out var ufrag));
        Assert.Equal("evtj", ufrag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("16fefd0000000000000000")]
    [InlineData("0001 0008 2112a442 000000000000000000000000 0006 0004 61626364")] // no colon
    [InlineData("0001 0008 2112a442 000000000000000000000000 0006 0004 3a626364")] // empty local part
    [InlineData("0001 0008 2112a442 000000000000000000000000 0006 0010 61623a64")] // truncated
    [InlineData("0101 0000 2112a442 000000000000000000000000")] // no USERNAME
    public void TryGetLocalUfrag_NotRoutable_ReturnsFalse(string hex)
    {
        Assert.False(StunUsername.TryGetLocalUfrag(Rfc5769Vectors.Hex(hex), out _));
    }

    [Fact]
    public void StunTransactionId_CreateFromSeededRandom_IsDeterministic()
    {
        Assert.Equal(StunTransactionId.Create(new SeededRandomSource(3)), StunTransactionId.Create(new SeededRandomSource(3)));
    }
}
