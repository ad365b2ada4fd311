using Enslavism.Signaling;

namespace Enslavism.Grains.Tests.Signaling;

public class SignalingCodecVectorTests
{
    [Theory]
    [MemberData(nameof(GoldenVectors.ValidNames), MemberType = typeof(GoldenVectors))]
    public void Decode_GoldenVector_GivesDescribedMessage(string name)
    {
        var vector = GoldenVectors.Valid1(name);
        var expected = GoldenVectors.Message(vector.GetProperty("message"));

        var ok = SignalingCodec.TryDecode(GoldenVectors.Bytes(vector), out var message, out var error, SignalingLimits.FromMaster);

        Assert.True(ok, error.ToString());
        Assert.Equal(expected, message);
    }

    [Theory]
    [MemberData(nameof(GoldenVectors.ValidNames), MemberType = typeof(GoldenVectors))]
    public void Encode_GoldenVector_GivesExactBytes(string name)
    {
        var vector = GoldenVectors.Valid1(name);
        if (vector.TryGetProperty("roundTrip", out var roundTrip) && !roundTrip.GetBoolean())
        {
            // Decode-only vectors are accepted leniently but re-encoded canonically: check the canonical form decodes equal.
            var message = GoldenVectors.Message(vector.GetProperty("message"));
            Assert.NotEqual(GoldenVectors.Bytes(vector), SignalingCodec.Encode(message));
            Assert.True(SignalingCodec.TryDecode(SignalingCodec.Encode(message), out var again, out _));
            Assert.Equal(message, again);
            return;
        }

        var encoded = SignalingCodec.Encode(GoldenVectors.Message(vector.GetProperty("message")));

        Assert.Equal(Convert.ToHexString(GoldenVectors.Bytes(vector)), Convert.ToHexString(encoded));
    }

    [Theory]
    [MemberData(nameof(GoldenVectors.MalformedNames), MemberType = typeof(GoldenVectors))]
    public void Decode_MalformedVector_GivesTypedError(string name)
    {
        var vector = GoldenVectors.Malformed1(name);
        var limits = vector.TryGetProperty("maxFrameBytes", out var max)
            ? new SignalingLimits { MaxFrameBytes = max.GetInt32() }
            : SignalingLimits.Default;

        var ok = SignalingCodec.TryDecode(GoldenVectors.Bytes(vector), out var message, out var error, limits);

        Assert.False(ok);
        Assert.Null(message);
        Assert.Equal(vector.GetProperty("error").GetString(), error.Kind.ToString());
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
    }

    [Fact]
    public void Decode_RandomAndMutatedFrames_NeverThrows()
    {
        var random = new Random(1234);
        var seeds = GoldenVectors.Valid.Select(GoldenVectors.Bytes).ToArray();
        var decoded = 0;
        for (var i = 0; i < 20_000; i++)
        {
            byte[] frame;
            if (i % 2 == 0)
            {
                frame = new byte[random.Next(0, 64)];
                random.NextBytes(frame);
            }
            else
            {
                frame = (byte[])seeds[random.Next(seeds.Length)].Clone();
                if (frame.Length > 0)
                {
                    for (var flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        frame[random.Next(frame.Length)] = (byte)random.Next(256);
                    }

                    frame = frame[..random.Next(1, frame.Length + 1)];
                }
            }

            if (SignalingCodec.TryDecode(frame, out var message, out _, SignalingLimits.FromMaster))
            {
                decoded++;
                // Whatever decodes must re-encode and decode to the same message.
                Assert.True(SignalingCodec.TryDecode(SignalingCodec.Encode(message!), out var again, out var error, SignalingLimits.FromMaster), error.ToString());
                Assert.Equal(message, again);
            }
        }

        Assert.InRange(decoded, 1, 19_999);
    }

    [Fact]
    public void RewriteRoute_OfferToSlave_BecomesOfferFromClient()
    {
        var frame = SignalingCodec.Encode(new OfferToSlave(7, "v=0\r\n"));

        SignalingCodec.RewriteRoute(frame, SignalingMessageType.OfferFromClient, 99);

        Assert.True(SignalingCodec.TryDecode(frame, out var message, out _));
        Assert.Equal(new OfferFromClient(99, "v=0\r\n"), message);
    }

    [Fact]
    public void Encode_UserDataOverU16_Throws()
    {
        var big = JsonUserData.Parse("\"" + new string('x', 65_534) + "\"");

        Assert.Throws<ArgumentException>(() => SignalingCodec.Encode(new AddSlaves([new SlaveEntry(1, big)])));
    }

    [Fact]
    public void IceCandidate_EmptySdpMid_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IceCandidate(string.Empty, 0, "candidate:1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IceCandidate(new string('m', 256), 0, "candidate:1"));
    }
}
