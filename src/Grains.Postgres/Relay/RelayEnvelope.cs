using System.Buffers.Binary;
using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Relay;

/// <summary>
/// A signaling message crossing nodes: the destination grain, the sending peer's id and the message, already rewritten
/// for the destination. Wire form: <c>[target u8][target id u32][from id u32][signaling frame]</c>.
/// </summary>
public sealed record RelayEnvelope(RelayTarget Target, uint TargetId, uint FromId, SignalingMessage Message)
{
    private const int HeaderBytes = 9;

    public byte[] Serialize()
    {
        var frame = SignalingCodec.Encode(Message);
        var bytes = new byte[HeaderBytes + frame.Length];
        bytes[0] = (byte)Target;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), TargetId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), FromId);
        frame.CopyTo(bytes.AsSpan(HeaderBytes));
        return bytes;
    }

    /// <summary>Decodes bytes from another node; never throws on bad input.</summary>
    public static bool TryDeserialize(ReadOnlySpan<byte> bytes, SignalingLimits limits, out RelayEnvelope? envelope)
    {
        envelope = null;
        if (bytes.Length <= HeaderBytes || bytes[0] is not ((byte)RelayTarget.Slave or (byte)RelayTarget.Client))
        {
            return false;
        }

        // Nodes relay every message type, including the version-2 ones; the receiving slave connection filters by its version.
        if (!SignalingCodec.TryDecode(bytes[HeaderBytes..], out var message, out _, limits, SignalingCodec.Version2) || message is null)
        {
            return false;
        }

        envelope = new RelayEnvelope(
            (RelayTarget)bytes[0],
            BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]),
            message);
        return true;
    }
}
