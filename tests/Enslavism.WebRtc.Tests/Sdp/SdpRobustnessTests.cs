using Enslavism.WebRtc.Sdp;

namespace Enslavism.WebRtc.Tests.Sdp;

public class SdpRobustnessTests
{
    [Fact]
    public void TryParse_MutatedCapturedOffers_NeverThrows()
    {
        var random = new Random(2024);
        var offers = CapturedOffers.Names.Select(CapturedOffers.Load).ToArray();
        const string alphabet = "v=oa:m \r\n0123456789abcdef/-.";
        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            var chars = offers[i % offers.Length].ToCharArray().ToList();
            var mutations = random.Next(1, 6);
            for (var m = 0; m < mutations && chars.Count > 0; m++)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(4))
                {
                    case 0:
                        chars[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    case 1:
                        chars.RemoveRange(at, Math.Min(random.Next(1, 40), chars.Count - at));
                        break;
                    case 2:
                        chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        chars[at] = (char)random.Next(0, 0x3000);
                        break;
                }
            }

            if (SdpOfferParser.TryParse(new string([.. chars]), out var offer, out var error))
            {
                accepted++;
                Assert.NotNull(offer);
                Assert.Equal(32, offer!.Sha256Fingerprint.Digest.Length);
            }
            else
            {
                Assert.NotNull(error);
            }
        }

        Assert.InRange(accepted, 1, 4999);
    }

    [Fact]
    public void TryParse_RandomText_NeverThrows()
    {
        var random = new Random(77);
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 400)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(4) == 0 ? '\n' : (char)random.Next(32, 127);
            }

            var text = (i % 2 == 0 ? "v=0\n" : string.Empty) + new string(chars);
            Assert.False(SdpOfferParser.TryParse(text, out _, out var error) && error is not null);
        }
    }
}
