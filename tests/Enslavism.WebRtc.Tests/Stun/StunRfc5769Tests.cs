using System.Net;
using System.Text;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Tests.Stun;

public class StunRfc5769Tests
{
    private static readonly StunTransactionId VectorTransactionId = StunTransactionId.Read(Convert.FromHexString("b7e7a701bc34d686fa87dfae"));
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void Parse_SampleRequest_DecodesEveryAttribute()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Request, out var message, out var error), error.Message);
        Assert.Equal(StunMessageClass.Request, message!.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(VectorTransactionId, message.TransactionId);
        Assert.True(StunUsername.TryRead(message, out var username));
        Assert.Equal("evtj:h6vY", username);
        Assert.True(StunPriority.TryRead(message, out var priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(IceControlled.TryRead(message, out var tieBreaker));
        Assert.Equal(0x932ff9b151263b36ul, tieBreaker);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(message.GetValue(software)));
        Assert.Empty(message.UnknownComprehensionRequired);
        Assert.Equal(76, message.MessageIntegrityOffset);
        Assert.Equal(100, message.FingerprintOffset);
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Verify_Vectors_IntegrityAndFingerprintMatch(string name, byte[] vector)
    {
        Assert.True(StunMessage.TryParse(vector, out var message, out _), name);
        Assert.True(MessageIntegrity.Verify(message!, Key), name);
        Assert.True(Fingerprint.Verify(message!), name);
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Verify_WrongPassword_Rejected(string name, byte[] vector)
    {
        Assert.True(StunMessage.TryParse(vector, out var message, out _), name);
        Assert.False(MessageIntegrity.Verify(message!, Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBu")), name);
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Verify_FlippedBodyBit_IntegrityAndFingerprintFail(string name, byte[] vector)
    {
        vector[25] ^= 0x01; // inside the first attribute's value
        Assert.True(StunMessage.TryParse(vector, out var message, out _), name);
        Assert.False(MessageIntegrity.Verify(message!, Key), name);
        Assert.False(Fingerprint.Verify(message!), name);
    }

    [Fact]
    public void Parse_Ipv4Response_XorMappedAddressIs192_0_2_1()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Ipv4Response, out var message, out _));
        Assert.Equal(StunMessageClass.SuccessResponse, message!.Class);
        Assert.True(XorMappedAddress.TryRead(message, out var endpoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), endpoint);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("test vector", Encoding.UTF8.GetString(message.GetValue(software)));
    }

    [Fact]
    public void Parse_Ipv6Response_XorMappedAddressIsRfcAddress()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Ipv6Response, out var message, out _));
        Assert.True(XorMappedAddress.TryRead(message!, out var endpoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), endpoint);
    }

    [Theory]
    [InlineData("192.0.2.1", 36)]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677", 36)]
    public void Write_XorMappedAddress_EncodesVectorBytes(string address, int attributeOffsetInVector)
    {
        var vector = address.Contains(':', StringComparison.Ordinal) ? Rfc5769Vectors.Ipv6Response : Rfc5769Vectors.Ipv4Response;
        var writer = new StunMessageWriter(StunMessageClass.SuccessResponse, StunMethod.Binding, VectorTransactionId);
        XorMappedAddress.Write(writer, new IPEndPoint(IPAddress.Parse(address), 32853), VectorTransactionId);
        var written = writer.ToArray();
        var attributeLength = written.Length - StunMessage.HeaderLength;

        // Same attribute bytes as the RFC message (which has SOFTWARE first, hence the offset).
        var expected = vector.AsSpan(attributeOffsetInVector, attributeLength).ToArray();
        Assert.Equal(expected, written[StunMessage.HeaderLength..]);
    }

    [Fact]
    public void Write_SampleRequest_MatchesVectorUpToUsernamePaddingAndVerifies()
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, VectorTransactionId);
        writer.AddAttribute(StunAttributeType.Software, Encoding.UTF8.GetBytes("STUN test client"));
        StunPriority.Write(writer, 0x6e0001ff);
        IceControlled.Write(writer, 0x932ff9b151263b36);
        StunUsername.Write(writer, "evtj:h6vY");
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        var written = writer.ToArray();

        // The RFC pads USERNAME with spaces, we pad with zeros (RFC 8489 §14): identical up to the padding.
        var vector = Rfc5769Vectors.Request;
        Assert.Equal(vector.Length, written.Length);
        Assert.Equal(vector[..73], written[..73]);
        Assert.True(StunMessage.TryParse(written, out var message, out _));
        Assert.True(MessageIntegrity.Verify(message!, Key));
        Assert.True(Fingerprint.Verify(message!));
    }

    [Fact]
    public void Write_SampleRequestWithSpacePadding_ReproducesVectorExactly()
    {
        // Reproduce the vector bit for bit by writing the padding the RFC used, then recomputing MI/FP with our code.
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, VectorTransactionId);
        writer.AddAttribute(StunAttributeType.Software, Encoding.UTF8.GetBytes("STUN test client"));
        StunPriority.Write(writer, 0x6e0001ff);
        IceControlled.Write(writer, 0x932ff9b151263b36);
        StunUsername.Write(writer, "evtj:h6vY");
        var prefix = writer.ToArray();
        prefix[73] = prefix[74] = prefix[75] = 0x20;

        var mi = new byte[MessageIntegrity.ValueLength];
        MessageIntegrity.Compute(prefix, Key, mi);
        var withMi = prefix.Concat(new byte[] { 0x00, 0x08, 0x00, 0x14 }).Concat(mi).ToArray();
        var fp = Fingerprint.Compute(withMi);
        var full = withMi.Concat(new byte[] { 0x80, 0x28, 0x00, 0x04, (byte)(fp >> 24), (byte)(fp >> 16), (byte)(fp >> 8), (byte)fp }).ToArray();
        full[3] = (byte)(full.Length - StunMessage.HeaderLength);

        Assert.Equal(Rfc5769Vectors.Request, full);
    }

    public static TheoryData<string, byte[]> AllVectors() => new()
    {
        { "2.1 request", Rfc5769Vectors.Request },
        { "2.2 IPv4 response", Rfc5769Vectors.Ipv4Response },
        { "2.3 IPv6 response", Rfc5769Vectors.Ipv6Response },
    };
}
