namespace Enslavism.WebRtc.Stun;

/// <summary>USE-CANDIDATE attribute, RFC 8445 §7.1.2 / §16.1: empty flag by which the controlling agent nominates a pair.</summary>
public static class UseCandidate
{
    public static void Write(StunMessageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.AddAttribute(StunAttributeType.UseCandidate, 0);
    }

    public static bool IsPresent(StunMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.HasAttribute(StunAttributeType.UseCandidate);
    }
}
