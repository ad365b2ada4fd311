using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Enslavism.WebRtc.Dtls;

/// <summary>
/// Manual interop host: one <see cref="BcDtlsEngine"/> on a loopback UDP socket, a minimal event loop and a
/// handshake worker thread, echoing application data upper-cased. Example against OpenSSL 3:
/// <code>
/// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout k.pem -out c.pem -subj /CN=p -days 1
/// FP=$(openssl x509 -in c.pem -noout -fingerprint -sha256 | cut -d= -f2)
/// dotnet run -c Release --project bench/WebRtcBench -- dtls-udp server $FP 40443 0 10 &amp;
/// (echo hi; sleep 2) | openssl s_client -dtls1_2 -connect 127.0.0.1:40443 -cert c.pem -key k.pem -use_srtp SRTP_AES128_CM_SHA1_80
/// </code>
/// </summary>
internal static class DtlsUdpPeer
{
    public static int Run(string[] args)
    {
        var role = args[0] == "client" ? DtlsRole.Client : DtlsRole.Server;
        if (!DtlsFingerprint.TryParseSdp("sha-256 " + args[1], out var peer, out var error))
        {
            Console.Error.WriteLine("bad fingerprint: " + error);
            return 2;
        }

        var localPort = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40443;
        var remotePort = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        var seconds = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 10;

        var identity = DtlsIdentity.CreateSelfSigned(DateTimeOffset.UtcNow);
        Console.WriteLine("local fingerprint: " + identity.Fingerprint.ToSdpValue());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, localPort));
        socket.ReceiveTimeout = 20;
        EndPoint? remote = remotePort > 0 ? new IPEndPoint(IPAddress.Loopback, remotePort) : null;

        using var engine = new BcDtlsEngine(role, identity, [peer]);
        var clock = Stopwatch.StartNew();
        engine.Start(clock.Elapsed);
        var worker = new Thread(() => engine.RunHandshake(CancellationToken.None)) { IsBackground = true };
        worker.Start();

        var buffer = new byte[2048];
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && engine.State is not (DtlsEngineState.Closed or DtlsEngineState.Failed))
        {
            try
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                var n = socket.ReceiveFrom(buffer, ref from);
                remote = from;
                engine.HandleInput(clock.Elapsed, buffer.AsSpan(0, n));
            }
            catch (SocketException)
            {
                // Receive timeout: time to look at timers and worker output.
            }

            if (engine.PollTimeout() is { } due && clock.Elapsed >= due)
            {
                engine.HandleTimeout(clock.Elapsed);
            }

            while (engine.TryPollEvent(out var e))
            {
                Console.WriteLine(e);
                if (e is DtlsHandshakeCompleted && role == DtlsRole.Client)
                {
                    engine.Send("hello from Enslavism\n"u8);
                }
                else if (e is DtlsApplicationData data)
                {
                    var text = Encoding.UTF8.GetString(data.Data.Span);
                    Console.WriteLine("received: " + text.TrimEnd());
                    engine.Send(Encoding.UTF8.GetBytes("ECHO " + text.ToUpperInvariant()));
                }
            }

            Flush(engine, socket, remote);
        }

        Console.WriteLine("final state: " + engine.State);
        engine.Close();
        Flush(engine, socket, remote);
        return engine.State == DtlsEngineState.Failed ? 1 : 0;
    }

    private static void Flush(BcDtlsEngine engine, Socket socket, EndPoint? remote)
    {
        while (remote is not null && engine.TryPollTransmit(out var datagram))
        {
            socket.SendTo(datagram.Span, SocketFlags.None, remote);
        }
    }
}
