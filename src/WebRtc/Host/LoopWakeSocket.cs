using System.Net;
using System.Net.Sockets;

namespace Enslavism.WebRtc.Host;

/// <summary>
/// Wakes the event loop out of its <c>Socket.Select</c> on the UDP socket (the self-pipe trick): a loopback UDP socket
/// connected to itself, so one byte sent makes it readable. Only sent to when the loop is asleep, so a busy loop costs
/// no system call per command.
/// </summary>
internal sealed class LoopWakeSocket : IDisposable
{
    private readonly byte[] _signal = new byte[1];
    private readonly byte[] _drained = new byte[16];

    public LoopWakeSocket()
    {
        // A Unix datagram socket in Linux's abstract namespace skips the IP stack on every wake-up; elsewhere (or if
        // refused) a loopback UDP socket does the same job.
        Socket = (OperatingSystem.IsLinux() ? OpenUnix() : null)
            ?? Open(AddressFamily.InterNetwork, IPAddress.Loopback) ?? Open(AddressFamily.InterNetworkV6, IPAddress.IPv6Loopback)
            ?? throw new InvalidOperationException("no loopback interface for the event loop's wake-up socket");
    }

    public Socket Socket { get; }

    /// <summary>Any thread; never throws.</summary>
    public void Wake()
    {
        try
        {
            Socket.Send(_signal, SocketFlags.None, out _);
        }
        catch (ObjectDisposedException)
        {
            // Disposed: the loop is gone.
        }
    }

    /// <summary>Consumes pending wake-ups (loop thread, after Select reported the socket readable).</summary>
    public void Drain()
    {
        // Non-blocking and non-throwing; one read per readiness is enough, a leftover byte only makes Select return
        // once more.
        _ = Socket.Receive(_drained, SocketFlags.None, out _);
    }

    public void Dispose() => Socket.Dispose();

    private static Socket? OpenUnix()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            var name = new UnixDomainSocketEndPoint("\0enslavism-wake-" + Guid.NewGuid().ToString("N"));
            socket.Bind(name);
            socket.Connect(name);
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private static Socket? Open(AddressFamily family, IPAddress loopback)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(loopback, 0));
            socket.Connect(socket.LocalEndPoint!);
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
