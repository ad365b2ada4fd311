using Enslavism.Signaling;

namespace Enslavism.Grains.Tests.Signaling;

public class SignalingCodecV2VectorTests
{
    [Theory]
    [MemberData(nameof(GoldenVectorsV2.ValidNames), MemberType = typeof(GoldenVectorsV2))]
    public void DecodeV2_GoldenVector_GivesDescribedMessage(string name)
    {
        var vector = GoldenVectorsV2.Find("vectors", name);
        var expected = GoldenVectors.Message(vector.GetProperty("message"));

        var ok = SignalingCodec.TryDecode(GoldenVectors.Bytes(vector), out var message, out var error, protocolVersion: SignalingCodec.Version2);

        Assert.True(ok, error.ToString());
        Assert.Equal(expected, message);
    }

    [Theory]
    [MemberData(nameof(GoldenVectorsV2.ValidNames), MemberType = typeof(GoldenVectorsV2))]
    public void EncodeV2_GoldenVector_GivesExactBytes(string name)
    {
        var vector = GoldenVectorsV2.Find("vectors", name);

        var encoded = SignalingCodec.Encode(GoldenVectors.Message(vector.GetProperty("message")));

        Assert.Equal(Convert.ToHexString(GoldenVectors.Bytes(vector)), Convert.ToHexString(encoded));
    }

    [Theory]
    [MemberData(nameof(GoldenVectorsV2.MalformedNames), MemberType = typeof(GoldenVectorsV2))]
    public void DecodeV2_MalformedVector_GivesTypedError(string name)
    {
        var vector = GoldenVectorsV2.Find("malformed", name);

        var ok = SignalingCodec.TryDecode(GoldenVectors.Bytes(vector), out var message, out var error, protocolVersion: SignalingCodec.Version2);

        Assert.False(ok);
        Assert.Null(message);
        Assert.Equal(vector.GetProperty("error").GetString(), error.Kind.ToString());
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
    }

    [Theory]
    [MemberData(nameof(GoldenVectorsV2.MalformedUnderV1Names), MemberType = typeof(GoldenVectorsV2))]
    public void DecodeV1_VersionTwoType_IsUnknownType(string name)
    {
        var vector = GoldenVectorsV2.Find("malformedUnderV1", name);

        var ok = SignalingCodec.TryDecode(GoldenVectors.Bytes(vector), out var message, out var error);

        Assert.False(ok);
        Assert.Null(message);
        Assert.Equal(vector.GetProperty("error").GetString(), error.Kind.ToString());
    }

    [Theory]
    [MemberData(nameof(GoldenVectors.ValidNames), MemberType = typeof(GoldenVectors))]
    public void DecodeV2_EveryV1Vector_DecodesTheSame(string name)
    {
        var vector = GoldenVectors.Valid1(name);
        var expected = GoldenVectors.Message(vector.GetProperty("message"));

        var ok = SignalingCodec.TryDecode(GoldenVectors.Bytes(vector), out var message, out var error, SignalingLimits.FromMaster, SignalingCodec.Version2);

        Assert.True(ok, error.ToString());
        Assert.Equal(expected, message);
    }
}
