using Enslavism.WebRtc.Core;
using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Tests.Stun;

public class StunRobustnessTests
{
    [Fact]
    public void TryParse_RandomDatagrams_NeverThrows()
    {
        var random = new Random(1234);
        var buffer = new byte[600];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 2 == 0 && length >= 20)
            {
                // Make half of them pass the header checks so the attribute walk gets exercised.
                buffer[0] &= 0x3F;
                buffer[2] = (byte)((length - 20) >> 8);
                buffer[3] = (byte)((length - 20) & 0xFC);
                buffer[4] = 0x21; buffer[5] = 0x12; buffer[6] = 0xA4; buffer[7] = 0x42;
            }

            Exercise(buffer.AsSpan(0, length));
        }
    }

    [Fact]
    public void TryParse_MutatedVectors_NeverThrows()
    {
        var random = new Random(99);
        byte[][] seeds = [Rfc5769Vectors.Request, Rfc5769Vectors.Ipv4Response, Rfc5769Vectors.Ipv6Response];
        var parsed = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var data = seeds[i % seeds.Length].ToArray();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                switch (random.Next(3))
                {
                    case 0:
                        data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        data[random.Next(data.Length)] = (byte)random.Next(256);
                        break;
                    default:
                        data = data[..random.Next(data.Length)];
                        break;
                }

                if (data.Length == 0)
                {
                    break;
                }
            }

            parsed += Exercise(data) ? 1 : 0;
        }

        // Mutations of bytes past the header often still parse; make sure the decoders were reached.
        Assert.InRange(parsed, 1000, 30_000);
    }

    private static bool Exercise(ReadOnlySpan<byte> data)
    {
        StunUsername.TryGetLocalUfrag(data, out _);
        Demux.Classify(data);
        if (!StunMessage.TryParse(data, out var m, out var error))
        {
            Assert.NotEqual(StunParseErrorReason.None, error.Reason);
            return false;
        }

        MessageIntegrity.Verify(m!, "VOkJxbRl1RmTxUk/WvJxBt"u8);
        Fingerprint.Verify(m!);
        XorMappedAddress.TryRead(m!, out _);
        StunUsername.TryRead(m!, out _);
        StunPriority.TryRead(m!, out _);
        IceControlled.TryRead(m!, out _);
        IceControlling.TryRead(m!, out _);
        StunErrorCode.TryRead(m!, out _);
        UnknownAttributes.TryRead(m!, out _);
        return true;
    }
}
