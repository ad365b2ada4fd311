using System.Net;

namespace Enslavism.SlaveHost;

/// <summary>
/// Sits under <see cref="System.Net.WebSockets.ClientWebSocket"/> to keep the body of a refused upgrade: ClientWebSocket
/// exposes the status and headers of a failed handshake but not its body, and the master puts the auth reason there.
/// Capturing it from the same response avoids a second request that would run the auth check again.
/// </summary>
internal sealed class UpgradeResponseCapture(HttpMessageHandler inner, int maxBodyBytes) : DelegatingHandler(inner)
{
    public HttpStatusCode? RefusedStatus { get; private set; }

    public byte[]? RefusedBody { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
        {
            return response;
        }

        RefusedStatus = response.StatusCode;
        try
        {
            RefusedBody = await ReadBoundedAsync(response.Content, maxBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            RefusedBody = [];
        }
        catch (IOException)
        {
            RefusedBody = [];
        }

        return response;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[maxBytes];
            var filled = 0;
            while (filled < maxBytes)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return buffer.AsSpan(0, filled).ToArray();
        }
    }
}
