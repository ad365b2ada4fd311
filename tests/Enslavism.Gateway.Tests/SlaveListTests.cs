using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Signaling;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

public sealed class SlaveListTests
{
    [Fact]
    public async Task Client_GetsAnEmptySnapshot_WhenNoSlaveIsRegistered()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();

        Assert.Empty((await client.ReceiveAsync<AddSlaves>()).Slaves);
    }

    [Fact]
    public async Task ConnectedSlave_IsNotListed_UntilItRegisters()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var slave = await host.ConnectSlaveAsync();
        await using var early = await host.ConnectClientAsync();
        Assert.Empty((await early.ReceiveAsync<AddSlaves>()).Slaves);

        var id = await RegisterAndLearnIdAsync(slave, early, "{\"name\":\"alpha\",\"n\":1}");

        await using var late = await host.ConnectClientAsync();
        var snapshot = await late.ReceiveAsync<AddSlaves>();
        Assert.Equal([new SlaveEntry(id, Json("{\"name\":\"alpha\",\"n\":1}"))], snapshot.Slaves);
    }

    [Fact]
    public async Task UserData_ReachesClients_ByteForByte()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();

        // Whitespace and key order are kept: the master never re-serializes user data.
        await slave.SendRawAsync([0, .. " { \"b\" : 2, \"a\":\"é\" } "u8]);
        var added = await client.ReceiveAsync<AddSlaves>();

        Assert.Equal(" { \"b\" : 2, \"a\":\"é\" } "u8.ToArray(), Assert.Single(added.Slaves).UserData.Utf8.ToArray());
    }

    [Fact]
    public async Task Client_GetsSnapshotThenOrderedDeltas_WithoutDuplicatesOrGhosts()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var watcher = await host.ConnectClientAsync();
        await watcher.ReceiveAsync<AddSlaves>();
        var slaves = new List<TestPeer>();
        var ids = new List<uint>();
        for (var i = 0; i < 3; i++)
        {
            slaves.Add(await host.ConnectSlaveAsync());
            ids.Add(await RegisterAndLearnIdAsync(slaves[i], watcher, $"{{\"i\":{i}}}"));
        }

        await using var client = await host.ConnectClientAsync();
        var snapshot = await client.ReceiveAsync<AddSlaves>();
        Assert.Equal(ids.Order(), snapshot.Slaves.Select(s => s.Id).Order());

        await using var fourth = await host.ConnectSlaveAsync();
        await fourth.SendAsync(new Register(Json("{\"i\":3}")));
        var added = await client.ReceiveAsync<AddSlaves>();
        var fourthId = Assert.Single(added.Slaves).Id;
        Assert.DoesNotContain(fourthId, ids);

        await slaves[0].CloseAsync();
        Assert.Equal([ids[0]], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
        await slaves[1].CloseAsync();
        Assert.Equal([ids[1]], (await client.ReceiveAsync<RemoveSlaves>()).Ids);

        // A client joining now sees exactly the survivors.
        await using var last = await host.ConnectClientAsync();
        Assert.Equal(new[] { ids[2], fourthId }.Order(), (await last.ReceiveAsync<AddSlaves>()).Slaves.Select(s => s.Id).Order());
        foreach (var slave in slaves)
        {
            await slave.DisposeAsync();
        }
    }

    [Fact]
    public async Task LargeSnapshot_IsSplitIntoFramesWithinTheLimit()
    {
        const int snapshotLimit = 600;
        await using var host = await MasterTestHost.StartAsync(o =>
        {
            o.MaxUserDataBytes = 200;
            o.MaxSnapshotFrameBytes = snapshotLimit;
            o.SendQueueBytes = 64 * 1024;
        });
        await using var watcher = await host.ConnectClientAsync();
        await watcher.ReceiveAsync<AddSlaves>();
        var slaves = new List<TestPeer>();
        var ids = new List<uint>();
        var userData = $"{{\"pad\":\"{new string('x', 150)}\"}}";
        for (var i = 0; i < 10; i++)
        {
            slaves.Add(await host.ConnectSlaveAsync());
            ids.Add(await RegisterAndLearnIdAsync(slaves[i], watcher, userData));
        }

        await using var client = await host.ConnectClientAsync();

        // 10 entries of 6 + 160 bytes: at most 3 per 600-byte frame, so 4 frames.
        var received = new List<SlaveEntry>();
        for (var frame = 0; frame < 4; frame++)
        {
            var (_, bytes) = await client.ReceiveFrameAsync();
            Assert.True(bytes.Length <= snapshotLimit, $"frame of {bytes.Length} bytes");
            Assert.True(SignalingCodec.TryDecode(bytes, out var message, out _, SignalingLimits.FromMaster));
            received.AddRange(Assert.IsType<AddSlaves>(message).Slaves);
        }

        Assert.Equal(ids.Order(), received.Select(s => s.Id).Order());

        // The next frame is a live delta, not more snapshot.
        await slaves[0].CloseAsync();
        Assert.Equal([ids[0]], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
        foreach (var slave in slaves)
        {
            await slave.DisposeAsync();
        }
    }

    [Fact]
    public async Task RegisterTwice_IsSentAsRemoveThenAdd()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var id = await RegisterAndLearnIdAsync(slave, client, "{\"players\":1}");

        await slave.SendAsync(new Register(Json("{\"players\":2}")));

        Assert.Equal([id], (await client.ReceiveAsync<RemoveSlaves>()).Ids);
        Assert.Equal([new SlaveEntry(id, Json("{\"players\":2}"))], (await client.ReceiveAsync<AddSlaves>()).Slaves);
    }

    [Fact]
    public async Task UnregisteredSlaveLeaving_SendsNothingToClients()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var client = await host.ConnectClientAsync();
        await client.ReceiveAsync<AddSlaves>();
        await using (var silent = await host.ConnectSlaveAsync())
        {
            await silent.CloseAsync();
        }

        // The next frame the client gets is about the slave that registered afterwards, not a RemoveSlaves.
        await using var slave = await host.ConnectSlaveAsync();
        await RegisterAndLearnIdAsync(slave, client, "{}");
    }

    [Fact]
    public async Task ManySlavesAndClients_Concurrently_AllClientsEndWithTheSameList()
    {
        await using var host = await MasterTestHost.StartAsync();
        var clients = new List<TestPeer>();
        for (var i = 0; i < 4; i++)
        {
            clients.Add(await host.ConnectClientAsync());
            Assert.Empty((await clients[i].ReceiveAsync<AddSlaves>()).Slaves);
        }

        var slaves = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var slave = await host.ConnectSlaveAsync();
            await slave.SendAsync(new Register(Json($"{{\"i\":{i}}}")));
            return slave;
        }));
        foreach (var slave in slaves.Where((_, i) => i % 2 == 0))
        {
            await slave.CloseAsync();
        }

        // Each client applies what it receives; 20 adds and 10 removes, in an order every client agrees on.
        var logs = new List<List<string>>();
        foreach (var client in clients)
        {
            var listed = new HashSet<uint>();
            var log = new List<string>();
            var adds = 0;
            var removes = 0;
            while (adds < 20 || removes < 10)
            {
                switch (await client.ReceiveAsync())
                {
                    case AddSlaves add:
                        foreach (var entry in add.Slaves)
                        {
                            Assert.True(listed.Add(entry.Id), $"slave {entry.Id} added twice");
                            log.Add($"+{entry.Id}");
                            adds++;
                        }

                        break;
                    case RemoveSlaves remove:
                        foreach (var id in remove.Ids)
                        {
                            Assert.True(listed.Remove(id), $"slave {id} removed while not listed");
                            log.Add($"-{id}");
                            removes++;
                        }

                        break;
                }
            }

            Assert.Equal(10, listed.Count);
            logs.Add(log);
        }

        Assert.All(logs, log => Assert.Equal(logs[0], log));
        foreach (var peer in clients.Concat(slaves))
        {
            await peer.DisposeAsync();
        }
    }
}
