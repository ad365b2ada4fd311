namespace Enslavism.WebRtc.Dtls;

/// <summary>
/// DTLS role, decided by SDP <c>a=setup</c> (RFC 8842 §5): our answerer is <c>passive</c> = server; a .NET
/// offerer that receives <c>passive</c> from the remote side is the client.
/// </summary>
public enum DtlsRole
{
    Server,
    Client,
}
