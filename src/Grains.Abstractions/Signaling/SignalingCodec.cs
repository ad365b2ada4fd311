using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Enslavism.Signaling;

/// <summary>
/// Encoder and decoder for protocol version 1 and 2 frames (big-endian, one WebSocket binary message per frame), byte-exact
/// with Enslavism 0.9. Decoding never throws on bad input: it reports a <see cref="SignalingError"/>.
/// Encoding throws <see cref="ArgumentException"/> only for values the wire cannot carry (user data over 65535 bytes).
/// </summary>
public static class SignalingCodec
{
    /// <summary>Protocol version 1: Enslavism 0.9, types 0–12.</summary>
    public const int Version1 = 1;

    /// <summary>Protocol version 2 (subprotocol <c>enslavism.v2</c>): version 1 plus <see cref="ClientLeft"/> and <see cref="ClientInfo"/>.</summary>
    public const int Version2 = 2;

    private const int RoutedHeaderBytes = 5;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes a message into a new array.</summary>
    public static byte[] Encode(SignalingMessage message)
    {
        var writer = new ArrayBufferWriter<byte>(GetEncodedLengthHint(message));
        Encode(message, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a message into <paramref name="writer"/>.</summary>
    public static void Encode(SignalingMessage message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        WriteByte(writer, (byte)message.Type);
        switch (message)
        {
            case Register m:
                writer.Write(m.UserData.Utf8.Span);
                break;
            case AddSlaves m:
                foreach (var slave in m.Slaves)
                {
                    WriteSlave(writer, slave);
                }

                break;
            case RemoveSlaves m:
                WriteIdArray(writer, m.Ids);
                break;
            case OfferToSlave m:
                WriteSdp(writer, m.SlaveId, m.Sdp);
                break;
            case OfferFromClient m:
                WriteSdp(writer, m.ClientId, m.Sdp);
                break;
            case AnswerToClient m:
                WriteSdp(writer, m.ClientId, m.Sdp);
                break;
            case AnswerFromSlave m:
                WriteSdp(writer, m.SlaveId, m.Sdp);
                break;
            case IceCandidateToSlave m:
                WriteCandidate(writer, m.SlaveId, m.Candidate);
                break;
            case IceCandidateFromClient m:
                WriteCandidate(writer, m.ClientId, m.Candidate);
                break;
            case IceCandidateToClient m:
                WriteCandidate(writer, m.ClientId, m.Candidate);
                break;
            case IceCandidateFromSlave m:
                WriteCandidate(writer, m.SlaveId, m.Candidate);
                break;
            case RejectToClient m:
                WriteUInt32(writer, m.ClientId);
                break;
            case RejectFromSlave m:
                WriteUInt32(writer, m.SlaveId);
                break;
            case ClientLeft m:
                WriteUInt32(writer, m.ClientId);
                break;
            case ClientInfo m:
                WriteUInt32(writer, m.ClientId);
                writer.Write(m.Info.Utf8.Span);
                break;
            default:
                throw new ArgumentException($"Unsupported message {message.GetType().Name}.", nameof(message));
        }
    }

    /// <summary>Encodes one slave entry exactly as it appears inside an <see cref="AddSlaves"/> frame.</summary>
    public static int GetEncodedLength(SlaveEntry slave)
    {
        ArgumentNullException.ThrowIfNull(slave);
        return 6 + slave.UserData.Length;
    }

    /// <summary>
    /// Decodes one frame of the negotiated <paramref name="protocolVersion"/> (<see cref="Version1"/> unless told).
    /// Returns false with an error (never throws) when the frame is malformed; version-2 types are
    /// <see cref="SignalingErrorKind.UnknownType"/> under version 1.
    /// </summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> frame,
        out SignalingMessage? message,
        out SignalingError error,
        SignalingLimits? limits = null,
        int protocolVersion = Version1)
    {
        limits ??= SignalingLimits.Default;
        message = null;
        if (frame.IsEmpty)
        {
            error = new SignalingError(SignalingErrorKind.Empty, "empty frame");
            return false;
        }

        if (frame.Length > limits.MaxFrameBytes)
        {
            error = new SignalingError(SignalingErrorKind.TooLarge, $"frame of {frame.Length} bytes exceeds the limit of {limits.MaxFrameBytes}");
            return false;
        }

        var type = (SignalingMessageType)frame[0];
        var body = frame[1..];
        switch (type)
        {
            case SignalingMessageType.Register:
                if (!JsonUserData.TryParse(body, out var userData, out error))
                {
                    return false;
                }

                message = new Register(userData!);
                return true;
            case SignalingMessageType.AddSlaves:
                return TryReadSlaves(body, out message, out error);
            case SignalingMessageType.RemoveSlaves:
                return TryReadIdArray(body, out message, out error);
            case SignalingMessageType.OfferToSlave:
            case SignalingMessageType.OfferFromClient:
            case SignalingMessageType.AnswerToClient:
            case SignalingMessageType.AnswerFromSlave:
                return TryReadSdp(type, frame, out message, out error);
            case SignalingMessageType.IceCandidateToSlave:
            case SignalingMessageType.IceCandidateFromClient:
            case SignalingMessageType.IceCandidateToClient:
            case SignalingMessageType.IceCandidateFromSlave:
                return TryReadCandidate(type, frame, out message, out error);
            case SignalingMessageType.RejectToClient:
            case SignalingMessageType.RejectFromSlave:
                return TryReadReject(type, frame, out message, out error);
            case SignalingMessageType.ClientLeft when protocolVersion >= Version2:
                return TryReadClientLeft(frame, out message, out error);
            case SignalingMessageType.ClientInfo when protocolVersion >= Version2:
                return TryReadClientInfo(frame, out message, out error);
            default:
                error = new SignalingError(SignalingErrorKind.UnknownType, $"unknown message type {frame[0]}");
                return false;
        }
    }

    /// <summary>
    /// Relays a routed frame in place, as the master does: sets the type byte and the id that follows it. The rest of
    /// the frame (SDP, candidate) is forwarded untouched, so relaying costs no re-encoding.
    /// </summary>
    public static void RewriteRoute(Span<byte> frame, SignalingMessageType newType, uint newPeerId)
    {
        if (frame.Length < RoutedHeaderBytes)
        {
            throw new ArgumentException("A routed frame has at least 5 bytes.", nameof(frame));
        }

        frame[0] = (byte)newType;
        BinaryPrimitives.WriteUInt32BigEndian(frame[1..], newPeerId);
    }

    private static bool TryReadSlaves(ReadOnlySpan<byte> body, out SignalingMessage? message, out SignalingError error)
    {
        var slaves = new List<SlaveEntry>();
        message = null;
        while (!body.IsEmpty)
        {
            if (body.Length < 6)
            {
                error = new SignalingError(SignalingErrorKind.Truncated, "slave entry shorter than its 6-byte header");
                return false;
            }

            var id = BinaryPrimitives.ReadUInt32BigEndian(body);
            var length = BinaryPrimitives.ReadUInt16BigEndian(body[4..]);
            if (body.Length - 6 < length)
            {
                error = new SignalingError(SignalingErrorKind.LengthOutOfRange, $"slave {id} claims {length} bytes of user data, {body.Length - 6} present");
                return false;
            }

            if (!JsonUserData.TryParse(body.Slice(6, length), out var userData, out error))
            {
                error = error with { Detail = $"slave {id}: {error.Detail}" };
                return false;
            }

            slaves.Add(new SlaveEntry(id, userData!));
            body = body[(6 + length)..];
        }

        message = new AddSlaves(slaves);
        error = default;
        return true;
    }

    private static bool TryReadIdArray(ReadOnlySpan<byte> body, out SignalingMessage? message, out SignalingError error)
    {
        message = null;
        if (!JsonUserData.TryValidate(body, out error))
        {
            return false;
        }

        var ids = new List<uint>();
        var reader = new Utf8JsonReader(body);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = new SignalingError(SignalingErrorKind.InvalidValue, "RemoveSlaves carries a JSON array of ids");
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt32(out var id))
            {
                error = new SignalingError(SignalingErrorKind.InvalidValue, "RemoveSlaves ids are integers from 0 to 4294967295");
                return false;
            }

            ids.Add(id);
        }

        message = new RemoveSlaves(ids);
        return true;
    }

    private static bool TryReadSdp(SignalingMessageType type, ReadOnlySpan<byte> frame, out SignalingMessage? message, out SignalingError error)
    {
        message = null;
        if (!TryReadRoutedHeader(frame, out var id, out error) || !TryReadText(frame[RoutedHeaderBytes..], "SDP", out var sdp, out error))
        {
            return false;
        }

        message = type switch
        {
            SignalingMessageType.OfferToSlave => new OfferToSlave(id, sdp),
            SignalingMessageType.OfferFromClient => new OfferFromClient(id, sdp),
            SignalingMessageType.AnswerToClient => new AnswerToClient(id, sdp),
            _ => new AnswerFromSlave(id, sdp),
        };
        return true;
    }

    private static bool TryReadCandidate(SignalingMessageType type, ReadOnlySpan<byte> frame, out SignalingMessage? message, out SignalingError error)
    {
        message = null;
        if (!TryReadRoutedHeader(frame, out var id, out error))
        {
            return false;
        }

        var rest = frame[RoutedHeaderBytes..];
        if (rest.IsEmpty)
        {
            error = new SignalingError(SignalingErrorKind.Truncated, "ICE candidate without its sdpMid length byte");
            return false;
        }

        IceCandidate? candidate = null;
        int midLength = rest[0];
        if (midLength == 0)
        {
            if (rest.Length > 1)
            {
                error = new SignalingError(SignalingErrorKind.TrailingBytes, "bytes after an end-of-candidates marker");
                return false;
            }
        }
        else
        {
            if (rest.Length - 1 < midLength)
            {
                error = new SignalingError(SignalingErrorKind.LengthOutOfRange, $"sdpMid length {midLength} with {rest.Length - 1} bytes present");
                return false;
            }

            if (rest.Length - 1 - midLength < 2)
            {
                error = new SignalingError(SignalingErrorKind.Truncated, "ICE candidate cut inside sdpMLineIndex");
                return false;
            }

            if (!TryReadText(rest.Slice(1, midLength), "sdpMid", out var sdpMid, out error)
                || !TryReadText(rest[(3 + midLength)..], "candidate", out var text, out error))
            {
                return false;
            }

            var index = BinaryPrimitives.ReadUInt16BigEndian(rest[(1 + midLength)..]);
            candidate = new IceCandidate(sdpMid, index, text);
        }

        message = type switch
        {
            SignalingMessageType.IceCandidateToSlave => new IceCandidateToSlave(id, candidate),
            SignalingMessageType.IceCandidateFromClient => new IceCandidateFromClient(id, candidate),
            SignalingMessageType.IceCandidateToClient => new IceCandidateToClient(id, candidate),
            _ => new IceCandidateFromSlave(id, candidate),
        };
        return true;
    }

    private static bool TryReadReject(SignalingMessageType type, ReadOnlySpan<byte> frame, out SignalingMessage? message, out SignalingError error)
    {
        message = null;
        if (!TryReadRoutedHeader(frame, out var id, out error))
        {
            return false;
        }

        if (frame.Length > RoutedHeaderBytes)
        {
            error = new SignalingError(SignalingErrorKind.TrailingBytes, "bytes after the id of a rejection");
            return false;
        }

        message = type == SignalingMessageType.RejectToClient ? new RejectToClient(id) : new RejectFromSlave(id);
        return true;
    }

    private static bool TryReadClientLeft(ReadOnlySpan<byte> frame, out SignalingMessage? message, out SignalingError error)
    {
        message = null;
        if (!TryReadRoutedHeader(frame, out var id, out error))
        {
            return false;
        }

        if (frame.Length > RoutedHeaderBytes)
        {
            error = new SignalingError(SignalingErrorKind.TrailingBytes, "bytes after the id of ClientLeft");
            return false;
        }

        message = new ClientLeft(id);
        return true;
    }

    private static bool TryReadClientInfo(ReadOnlySpan<byte> frame, out SignalingMessage? message, out SignalingError error)
    {
        message = null;
        if (!TryReadRoutedHeader(frame, out var id, out error)
            || !JsonUserData.TryParse(frame[RoutedHeaderBytes..], out var info, out error))
        {
            return false;
        }

        var reader = new Utf8JsonReader(info!.Utf8.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = new SignalingError(SignalingErrorKind.InvalidValue, "ClientInfo carries a JSON object");
            return false;
        }

        message = new ClientInfo(id, info);
        return true;
    }

    private static bool TryReadRoutedHeader(ReadOnlySpan<byte> frame, out uint id, out SignalingError error)
    {
        if (frame.Length < RoutedHeaderBytes)
        {
            id = 0;
            error = new SignalingError(SignalingErrorKind.Truncated, "frame ends inside the 4-byte id");
            return false;
        }

        id = BinaryPrimitives.ReadUInt32BigEndian(frame[1..]);
        error = default;
        return true;
    }

    private static bool TryReadText(ReadOnlySpan<byte> bytes, string field, out string text, out SignalingError error)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            error = default;
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            error = new SignalingError(SignalingErrorKind.InvalidUtf8, $"{field} is not valid UTF-8");
            return false;
        }
    }

    private static void WriteSlave(IBufferWriter<byte> writer, SlaveEntry slave)
    {
        if (slave.UserData.Length > SlaveEntry.MaxUserDataBytes)
        {
            throw new ArgumentException($"User data of slave {slave.Id} is {slave.UserData.Length} bytes; the wire allows {SlaveEntry.MaxUserDataBytes}.", nameof(slave));
        }

        var header = writer.GetSpan(6);
        BinaryPrimitives.WriteUInt32BigEndian(header, slave.Id);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)slave.UserData.Length);
        writer.Advance(6);
        writer.Write(slave.UserData.Utf8.Span);
    }

    private static void WriteIdArray(IBufferWriter<byte> writer, IReadOnlyList<uint> ids)
    {
        // Matches JSON.stringify of a number array: no spaces, decimal integers.
        var text = new StringBuilder(2 + (ids.Count * 11));
        text.Append('[');
        for (var i = 0; i < ids.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(ids[i].ToString(CultureInfo.InvariantCulture));
        }

        text.Append(']');
        WriteText(writer, text.ToString());
    }

    private static void WriteSdp(IBufferWriter<byte> writer, uint id, string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        WriteUInt32(writer, id);
        WriteText(writer, sdp);
    }

    private static void WriteCandidate(IBufferWriter<byte> writer, uint id, IceCandidate? candidate)
    {
        WriteUInt32(writer, id);
        if (candidate is null)
        {
            WriteByte(writer, 0);
            return;
        }

        WriteByte(writer, (byte)Encoding.UTF8.GetByteCount(candidate.SdpMid));
        WriteText(writer, candidate.SdpMid);
        var index = writer.GetSpan(2);
        BinaryPrimitives.WriteUInt16BigEndian(index, candidate.SdpMLineIndex);
        writer.Advance(2);
        WriteText(writer, candidate.Candidate);
    }

    private static void WriteText(IBufferWriter<byte> writer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = writer.GetSpan(length);
        Encoding.UTF8.GetBytes(text, span);
        writer.Advance(length);
    }

    private static void WriteUInt32(IBufferWriter<byte> writer, uint value)
    {
        var span = writer.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(span, value);
        writer.Advance(4);
    }

    private static void WriteByte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static int GetEncodedLengthHint(SignalingMessage message) => message switch
    {
        Register m => 1 + m.UserData.Length,
        AddSlaves m => 1 + m.Slaves.Sum(GetEncodedLength),
        OfferToSlave m => 5 + m.Sdp.Length,
        OfferFromClient m => 5 + m.Sdp.Length,
        AnswerToClient m => 5 + m.Sdp.Length,
        AnswerFromSlave m => 5 + m.Sdp.Length,
        ClientInfo m => 5 + m.Info.Length,
        _ => 64,
    };
}
