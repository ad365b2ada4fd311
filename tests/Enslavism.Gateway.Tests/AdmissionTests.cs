using System.Net;
using System.Net.WebSockets;
using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Grains;
using Enslavism.Signaling;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

public sealed class AdmissionTests
{
    [Fact]
    public async Task AuthHook_ReceivesCookies_AndItsRejectionIs401WithTheReason()
    {
        IReadOnlyDictionary<string, string>? seen = null;
        await using var host = await MasterTestHost.StartAsync(o => o.Events.OnClientAuthenticating = async auth =>
        {
            await Task.Yield();
            seen = auth.AuthData;
            if (auth.AuthData.GetValueOrDefault("token") != "good")
            {
                auth.Reject("bad token");
            }
        });

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => host.ConnectClientAsync(o =>
        {
            o.CollectHttpResponseDetails = true;
            o.SetRequestHeader("Cookie", "token=evil; lang=fr");
        }));
        Assert.Equal(new Dictionary<string, string> { ["token"] = "evil", ["lang"] = "fr" }, seen);
        var (status, body) = await UpgradeOverHttpAsync(host, "/enslavism/clients", cookie: "token=evil");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("bad token", body);

        await using var accepted = await host.ConnectClientAsync(o => o.SetRequestHeader("Cookie", "token=good"));
        await accepted.ReceiveAsync<AddSlaves>();
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task RefusedUpgrade_ExposesTheStatusToClientWebSocket()
    {
        await using var host = await MasterTestHost.StartAsync(o => o.Events.OnSlaveAuthenticating = auth =>
        {
            auth.Reject("no slaves today");
            return ValueTask.CompletedTask;
        });
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.WebSocketUri("/enslavism/slaves"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task AuthHookThatTakesTooLong_Is401()
    {
        await using var host = await MasterTestHost.StartAsync(o =>
        {
            o.AuthTimeout = TimeSpan.FromMilliseconds(200);
            o.Events.OnSlaveAuthenticating = auth => new ValueTask(Task.Delay(Timeout.Infinite, auth.CancellationToken));
        });

        var (status, body) = await UpgradeOverHttpAsync(host, "/enslavism/slaves");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Authentication timed out.", body);
    }

    [Fact]
    public async Task AuthHookThatThrows_Is500_AndTheMasterKeepsServing()
    {
        await using var host = await MasterTestHost.StartAsync(o => o.Events.OnClientAuthenticating = auth =>
            auth.AuthData.ContainsKey("crash") ? throw new InvalidOperationException("hook bug") : ValueTask.CompletedTask);
        host.IsExpectedError = entry => entry.Contains("hook bug", StringComparison.Ordinal);

        var (status, _) = await UpgradeOverHttpAsync(host, "/enslavism/clients", cookie: "crash=1");
        Assert.Equal(HttpStatusCode.InternalServerError, status);

        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "http://evil.example", false)]
    [InlineData(null, "SAME", true)]
    [InlineData("https://game.example", "https://game.example", true)]
    [InlineData("https://game.example", "http://game.example", false)]
    [InlineData("https://game.example", "SAME", false)]
    [InlineData("*", "http://anything.example:1234", true)]
    public async Task Origin_IsCheckedBeforeTheUpgrade(string? allowed, string? origin, bool admitted)
    {
        await using var host = await MasterTestHost.StartAsync(o =>
        {
            if (allowed is not null)
            {
                o.AllowedOrigins.Add(allowed);
            }
        });
        var sentOrigin = origin == "SAME" ? $"http://{host.HttpAddress.Authority}" : origin;

        var (status, _) = await UpgradeOverHttpAsync(host, "/enslavism/clients", origin: sentOrigin);

        Assert.Equal(admitted ? HttpStatusCode.SwitchingProtocols : HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Subprotocol_V2IsNegotiatedWhenOffered_NoneMeansV1_UnknownIs400()
    {
        var versions = new List<int>();
        await using var host = await MasterTestHost.StartAsync(o => o.Events.OnClientConnected = c =>
        {
            lock (versions)
            {
                versions.Add(c.ProtocolVersion);
            }

            return ValueTask.CompletedTask;
        });

        await using var v2 = await host.ConnectClientAsync(o => o.AddSubProtocol(EnslavismProtocol.V2));
        Assert.Equal(EnslavismProtocol.V2, v2.Socket.SubProtocol);
        await v2.ReceiveAsync<AddSlaves>();
        await using var legacy = await host.ConnectClientAsync();
        Assert.Null(legacy.Socket.SubProtocol);
        await legacy.ReceiveAsync<AddSlaves>();
        await using var v1 = await host.ConnectClientAsync(o => o.AddSubProtocol(EnslavismProtocol.V1));
        Assert.Equal(EnslavismProtocol.V1, v1.Socket.SubProtocol);
        await v1.ReceiveAsync<AddSlaves>();

        var (status, _) = await UpgradeOverHttpAsync(host, "/enslavism/clients", subProtocol: "chat");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        lock (versions)
        {
            Assert.Equal([2, 1, 1], versions);
        }
    }

    [Fact]
    public async Task ConnectionsOverTheLimit_Are503_AndAFreedSlotIsReusable()
    {
        await using var host = await MasterTestHost.StartAsync(o => o.MaxSlaveConnections = 2);
        await using var first = await host.ConnectSlaveAsync();
        await using var second = await host.ConnectSlaveAsync();

        var (status, _) = await UpgradeOverHttpAsync(host, "/enslavism/slaves");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);

        await first.CloseAsync();
        await using var watcher = await host.ConnectClientAsync();
        await watcher.ReceiveAsync<AddSlaves>();

        // The slot frees once the server finished the closed connection; retry a bounded number of times.
        HttpStatusCode retried = default;
        for (var attempt = 0; attempt < 50 && retried != HttpStatusCode.SwitchingProtocols; attempt++)
        {
            (retried, _) = await UpgradeOverHttpAsync(host, "/enslavism/slaves");
            if (retried != HttpStatusCode.SwitchingProtocols)
            {
                await Task.Delay(20);
            }
        }

        Assert.Equal(HttpStatusCode.SwitchingProtocols, retried);
    }

    [Fact]
    public async Task ClientLimit_IsSeparateFromTheSlaveLimit()
    {
        await using var host = await MasterTestHost.StartAsync(o => o.MaxClientConnections = 1);
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();

        var (clientStatus, body) = await UpgradeOverHttpAsync(host, "/enslavism/clients");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, clientStatus);
        Assert.Equal("Too many connections.", body);
        await using var slave = await host.ConnectSlaveAsync();
        await slave.SendAsync(new Register(Json("{}")));
        Assert.Single((await client.ReceiveAsync<AddSlaves>()).Slaves);
    }

    [Fact]
    public async Task PlainHttpRequestToAWebSocketEndpoint_Is400()
    {
        await using var host = await MasterTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.HttpAddress };

        var response = await http.GetAsync(new Uri("/enslavism/clients", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Hooks_ReportConnectRegisterAndDisconnect_WithTheAssignedIds()
    {
        var events = new List<string>();
        var slaveGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Add(string e)
        {
            lock (events)
            {
                events.Add(e);
            }
        }

        await using var host = await MasterTestHost.StartAsync(o =>
        {
            o.Events.OnSlaveConnected = c => { Add($"slave+{c.Id}"); return ValueTask.CompletedTask; };
            o.Events.OnSlaveRegistered = c => { Add($"registered {c.SlaveId} {c.UserData} update={c.IsUpdate}"); return ValueTask.CompletedTask; };
            o.Events.OnSlaveDisconnected = c =>
            {
                Add($"slave-{c.Id} {c.CloseStatus}");
                slaveGone.TrySetResult();
                return ValueTask.CompletedTask;
            };
        });
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var id = await RegisterAndLearnIdAsync(slave, client, "{\"a\":1}");
        await slave.SendAsync(new Register(Json("{\"a\":2}")));
        await client.ReceiveAsync<RemoveSlaves>();
        await client.ReceiveAsync<AddSlaves>();
        await slave.CloseAsync();
        await slaveGone.Task.WaitAsync(TestPeer.Timeout);

        lock (events)
        {
            Assert.Equal(
                [$"slave+{id}", $"registered {id} {{\"a\":1}} update=False", $"registered {id} {{\"a\":2}} update=True", $"slave-{id} NormalClosure"],
                events);
        }
    }

    [Fact]
    public async Task ErrorHook_ReportsProtocolErrors()
    {
        var reported = new TaskCompletionSource<EnslavismErrorContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await MasterTestHost.StartAsync(o => o.Events.OnError = e =>
        {
            reported.TrySetResult(e);
            return ValueTask.CompletedTask;
        });
        await using var slave = await host.ConnectSlaveAsync();

        await slave.SendRawAsync([42]);
        var error = await reported.Task.WaitAsync(TestPeer.Timeout);

        Assert.Equal(EnslavismErrorKind.ProtocolError, error.Error);
        Assert.Equal(SignalingErrorKind.UnknownType, error.SignalingError);
        Assert.Equal(EntityKind.Slave, error.Kind);
    }

    /// <summary>Sends a WebSocket upgrade request by hand to read the status and body of a refusal.</summary>
    internal static async Task<(HttpStatusCode Status, string Body)> UpgradeOverHttpAsync(
        MasterTestHost host, string path, string? cookie = null, string? origin = null, string? subProtocol = null)
    {
        using var http = new HttpClient { BaseAddress = host.HttpAddress, Timeout = TestPeer.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (subProtocol is not null)
        {
            request.Headers.Add("Sec-WebSocket-Protocol", subProtocol);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = response.StatusCode == HttpStatusCode.SwitchingProtocols ? string.Empty : await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body);
    }
}
