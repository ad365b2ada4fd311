namespace Enslavism.WebRtc.Sctp;

/// <summary>Decodes one chunk value by type (RFC 9260 §3.2); unknown types become <see cref="UnknownChunk"/>.</summary>
internal static class SctpChunkReader
{
    public static bool TryParse(byte type, byte flags, ReadOnlySpan<byte> value, out SctpChunk? chunk, out SctpParseError error)
    {
        error = default;
        switch ((SctpChunkType)type)
        {
            case SctpChunkType.Data:
                return DataChunk.TryParseValue(flags, value, out chunk, out error);
            case SctpChunkType.Init:
                return InitChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.InitAck:
                return InitAckChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.Sack:
                return SackChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.Heartbeat:
                return HeartbeatChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.HeartbeatAck:
                return HeartbeatAckChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.Abort:
                return AbortChunk.TryParseValue(flags, value, out chunk, out error);
            case SctpChunkType.Shutdown:
                return ShutdownChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.ShutdownAck:
                chunk = ShutdownAckChunk.Instance;
                return true;
            case SctpChunkType.Error:
                return ErrorChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.CookieEcho:
                chunk = new CookieEchoChunk(value.ToArray());
                return true;
            case SctpChunkType.CookieAck:
                chunk = CookieAckChunk.Instance;
                return true;
            case SctpChunkType.ShutdownComplete:
                chunk = new ShutdownCompleteChunk((flags & 1) != 0);
                return true;
            case SctpChunkType.ReConfig:
                return ReConfigChunk.TryParseValue(value, out chunk, out error);
            case SctpChunkType.ForwardTsn:
                return ForwardTsnChunk.TryParseValue(value, out chunk, out error);
            default:
                chunk = new UnknownChunk(type, flags, value.ToArray());
                return true;
        }
    }
}
