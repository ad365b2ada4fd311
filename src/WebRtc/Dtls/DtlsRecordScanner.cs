namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// Walks the records of a DTLS datagram (RFC 6347 §4.1) without decrypting anything. The engine uses it during the
/// handshake to reject garbage before it is queued for BouncyCastle's handshake worker.
/// </summary>
public static class DtlsRecordScanner
{
    private const byte ClientHelloType = 1;

    /// <summary>
    /// Scans <paramref name="datagram"/>; fails if any record is malformed or truncated, because a datagram that is
    /// not a clean sequence of records is not DTLS (or is damaged) and is dropped whole.
    /// </summary>
    public static bool TryScan(
        ReadOnlySpan<byte> datagram,
        out DtlsDatagramSummary summary,
        out DtlsRecordParseError error,
        int maxRecords = 64)
    {
        summary = default;
        if (datagram.IsEmpty)
        {
            error = DtlsRecordParseError.Empty;
            return false;
        }

        int records = 0, handshake = 0, applicationData = 0, alerts = 0;
        var clientHello = false;
        var rest = datagram;
        while (!rest.IsEmpty)
        {
            if (!DtlsRecordHeader.TryParse(rest, out var header, out error))
            {
                return false;
            }

            var recordLength = DtlsRecordHeader.Size + header.Length;
            if (recordLength > rest.Length)
            {
                error = DtlsRecordParseError.LengthExceedsDatagram;
                return false;
            }

            if (++records > maxRecords)
            {
                error = DtlsRecordParseError.TooManyRecords;
                return false;
            }

            switch (header.ContentType)
            {
                case DtlsContentType.Handshake:
                    handshake++;
                    clientHello |= header.Epoch == 0 && header.Length > 0 && rest[DtlsRecordHeader.Size] == ClientHelloType;
                    break;
                case DtlsContentType.ApplicationData:
                    applicationData++;
                    break;
                case DtlsContentType.Alert:
                    alerts++;
                    break;
                default:
                    break;
            }

            rest = rest[recordLength..];
        }

        summary = new DtlsDatagramSummary(records, handshake, applicationData, alerts, clientHello);
        error = DtlsRecordParseError.None;
        return true;
    }
}
