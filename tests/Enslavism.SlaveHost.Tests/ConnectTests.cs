using System.Net;
using System.Net.Sockets;
using System.Text;
using Enslavism.SlaveHost.Tests.Infrastructure;
using Enslavism.Signaling;
using Microsoft.Extensions.Options;

namespace Enslavism.SlaveHost.Tests;

/// <summary>Connecting, registering and refused upgrades, against a real Kestrel (<see cref="FakeMaster"/>).</summary>
public sealed class ConnectTests
{
    [Fact]
    public async Task ConnectAsync_SendsRegisterWithTheExactUserDataBytes()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());
        // Unusual spacing and escapes must survive byte for byte: the master never re-serializes user data.
        var userData = JsonUserData.Parse("""{ "name" : "eu-1", "tags":["a","\u00e9"], "n": 1.50 }""");

        await slave.ConnectAsync(master.BaseUrl, userData);

        var socket = await master.NextSlaveAsync();
        var register = await socket.ReceiveAsync<Register>();
        Assert.Equal(userData.Utf8.ToArray(), register.UserData.Utf8.ToArray());
    }

    [Fact]
    public async Task ConnectAsync_SendsAuthDataAsCookies_ThatTheMasterDecodesToTheOriginalValues()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());
        var auth = new Dictionary<string, string>
        {
            ["username"] = "getkey",
            ["password"] = "se;cr=et, \"quoted\" é %41",
            ["empty"] = string.Empty,
        };

        await slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject, auth);

        var (raw, cookies) = await master.NextUpgradeCookiesAsync();
        Assert.Equal("getkey", cookies["username"]);
        Assert.Equal(auth["password"], cookies["password"]);

        // The empty value is on the wire (Enslavism 0.9 sent it too), but ASP.NET Core's parser skips empty cookies.
        Assert.Contains("empty=;", raw, StringComparison.Ordinal);
        Assert.False(cookies.ContainsKey("empty"));
    }

    [Fact]
    public async Task ConnectAsync_AuthRefusedWith401_ThrowsSlaveAuthRejectedExceptionCarryingTheReason()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Authorize = context => context.Request.Cookies["password"] == "right" ? null : (401, "wrong password for 'eu-1' ✗");
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());

        var error = await Assert.ThrowsAsync<SlaveAuthRejectedException>(() =>
            slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject, new Dictionary<string, string> { ["password"] = "wrong" }));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("wrong password for 'eu-1' ✗", error.Reason);
        Assert.Contains(error.Reason, error.Message, StringComparison.Ordinal);
        var end = await slave.Completion.Within("Completion after a failed connect");
        Assert.Equal(SlaveDisconnectReason.ConnectionLost, end.Reason);
    }

    [Fact]
    public async Task ConnectAsync_LongRefusalReason_IsCutAtTheConfiguredSize()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Authorize = _ => (401, new string('x', 10_000));
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory(), new SlaveOptions { MaxRejectionReasonBytes = 100 });

        var error = await Assert.ThrowsAsync<SlaveAuthRejectedException>(() => slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject));

        Assert.Equal(new string('x', 100), error.Reason);
    }

    [Fact]
    public async Task ConnectAsync_OtherRefusal_ThrowsSlaveConnectExceptionWithTheStatus()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Authorize = _ => (403, "origin not allowed");
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());

        var error = await Assert.ThrowsAsync<SlaveConnectException>(() => slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject));

        Assert.IsNotType<SlaveAuthRejectedException>(error);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsSlaveConnectExceptionWithoutStatus()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());

        var error = await Assert.ThrowsAsync<SlaveConnectException>(() =>
            slave.ConnectAsync(new Uri($"ws://127.0.0.1:{port}"), JsonUserData.EmptyObject));

        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task ConnectAsync_MasterNeverAnswersTheUpgrade_ThrowsTimeoutException()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory(), new SlaveOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) });

        var connect = slave.ConnectAsync(new Uri($"ws://127.0.0.1:{port}"), JsonUserData.EmptyObject);
        using var silent = await listener.AcceptTcpClientAsync().Within("the slave's TCP connection");

        await Assert.ThrowsAsync<TimeoutException>(() => connect.Within("the connect timeout"));
    }

    [Fact]
    public async Task ConnectAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());
        using var cts = new CancellationTokenSource();

        var connect = slave.ConnectAsync(new Uri($"ws://127.0.0.1:{port}"), JsonUserData.EmptyObject, cancellationToken: cts.Token);
        using var silent = await listener.AcceptTcpClientAsync().Within("the slave's TCP connection");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.Within("cancellation"));
    }

    [Fact]
    public async Task ConnectAsync_Twice_Throws()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());
        await slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject);

        await Assert.ThrowsAsync<InvalidOperationException>(() => slave.ConnectAsync(master.BaseUrl, JsonUserData.EmptyObject));
    }

    [Fact]
    public async Task ConnectAsync_UserDataOverTheU16Limit_ThrowsBeforeConnecting()
    {
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());
        var big = JsonUserData.Parse("\"" + new string('a', 70_000) + "\"");

        await Assert.ThrowsAsync<ArgumentException>(() => slave.ConnectAsync(new Uri("ws://127.0.0.1:1"), big));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsOptionsValidationException()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            new SlaveConnection(new FakePeerConnectionFactory(), new SlaveOptions { MaxOutgoingFrames = 0 }));

        Assert.Contains(nameof(SlaveOptions.MaxOutgoingFrames), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_InvalidCookieName_ThrowsArgumentException()
    {
        await using var slave = new SlaveConnection(new FakePeerConnectionFactory());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            slave.ConnectAsync(new Uri("ws://127.0.0.1:1"), JsonUserData.EmptyObject, new Dictionary<string, string> { ["bad name;"] = "x" }));
    }

    [Fact]
    public void CookieHeader_EncodesValuesSoTheyCannotEndTheCookie()
    {
        var header = AuthCookies.ToCookieHeader(new Dictionary<string, string> { ["b"] = "x; c=1", ["a"] = "é" });

        Assert.Equal("a=%C3%A9; b=x%3B%20c%3D1", header);
        Assert.Null(AuthCookies.ToCookieHeader(new Dictionary<string, string>()));
        Assert.Equal("x; c=1", Uri.UnescapeDataString("x%3B%20c%3D1"), StringComparer.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes("é"), Encoding.UTF8.GetBytes(Uri.UnescapeDataString("%C3%A9")));
    }
}
