using Enslavism.WebRtc.Stun;

namespace Enslavism.WebRtc.Tests.Ice;

/// <summary>Builds Binding requests the way a controlling browser does (Chrome 156 attribute set).</summary>
internal static class BrowserCheck
{
    private static ulong _nextTx = 1;

    public static byte[] Build(string username, string password, bool useCandidate = false, bool controlling = true,
        bool integrity = true, bool fingerprint = true, Action<StunMessageWriter>? extra = null)
    {
        var writer = new StunMessageWriter(StunMessageClass.Request, StunMethod.Binding, new StunTransactionId(_nextTx++, 7));
        StunUsername.Write(writer, username);
        writer.AddAttribute(StunAttributeType.GoogNetworkInfo, [0, 1, 0, 10]);
        if (controlling)
        {
            IceControlling.Write(writer, 0x1122334455667788);
        }
        else
        {
            IceControlled.Write(writer, 0x1122334455667788);
        }

        StunPriority.Write(writer, 1853824767);
        if (useCandidate)
        {
            UseCandidate.Write(writer);
        }

        extra?.Invoke(writer);
        if (integrity)
        {
            writer.AddMessageIntegrity(MessageIntegrity.KeyFromPassword(password));
        }

        if (fingerprint)
        {
            writer.AddFingerprint();
        }

        return writer.ToArray();
    }
}
