namespace Enslavism.WebRtc.Dtls;

/// <summary>What <see cref="DtlsRecordScanner"/> found in one datagram.</summary>
/// <param name="RecordCount">Number of complete records (RFC 6347 §4.1.1 allows several per datagram).</param>
/// <param name="HandshakeRecords">Records of content type handshake.</param>
/// <param name="ApplicationDataRecords">Records of content type application_data.</param>
/// <param name="AlertRecords">Records of content type alert.</param>
/// <param name="ContainsClientHello">An epoch-0 handshake record whose first message is a ClientHello (type 1),
/// i.e. a (possibly fragmented or retransmitted) start of a handshake. Useful for logging and admission.</param>
public readonly record struct DtlsDatagramSummary(
    int RecordCount, int HandshakeRecords, int ApplicationDataRecords, int AlertRecords, bool ContainsClientHello);
