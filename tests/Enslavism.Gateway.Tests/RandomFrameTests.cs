using System.Net.WebSockets;
using Enslavism.Gateway.Tests.Infrastructure;
using Enslavism.Signaling;
using static Enslavism.Gateway.Tests.Infrastructure.TestMessages;

namespace Enslavism.Gateway.Tests;

public sealed class RandomFrameTests
{
    [Fact]
    public async Task RandomFramesFromClients_EitherRelayOrCloseTheSender_NeverHurtTheMaster()
    {
        await using var host = await MasterTestHost.StartAsync();
        await using var watcher = await host.ConnectClientAsync();
        await watcher.ReceiveAsync<AddSlaves>();
        await using var slave = await host.ConnectSlaveAsync();
        var slaveId = await RegisterAndLearnIdAsync(slave, watcher, "{}");
        var random = new Random(20261122);
        var (kept, closed) = (0, 0);

        for (var round = 0; round < 40; round++)
        {
            await using var client = await host.ConnectClientAsync();
            await client.ReceiveAsync<AddSlaves>();
            var frame = new byte[random.Next(1, 64)];
            random.NextBytes(frame);

            // Bias toward known type bytes so decoding gets past the first byte often; every other round is an offer
            // with a random target id and ASCII text, which decodes and must be relayed or dropped, not closed.
            frame[0] = (byte)random.Next(0, 16);
            if (round % 2 == 0 && frame.Length >= 5)
            {
                frame[0] = (byte)SignalingMessageType.OfferToSlave;
                for (var i = 5; i < frame.Length; i++)
                {
                    frame[i] = (byte)random.Next(32, 127);
                }
            }

            var valid = SignalingCodec.TryDecode(frame, out var message, out _)
                && message is OfferToSlave or IceCandidateToSlave;
            await client.SendRawAsync(frame);

            if (valid)
            {
                // Still connected: a follow-up offer reaches the slave (the random one was dropped or relayed first).
                await client.SendAsync(new OfferToSlave(slaveId, $"round {round}"));
                var received = await slave.ReceiveAsync();
                while (received is not OfferFromClient { Sdp: var sdp } || sdp != $"round {round}")
                {
                    received = await slave.ReceiveAsync();
                }

                kept++;
            }
            else
            {
                var (status, _) = await client.ReceiveCloseAsync();
                Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
                closed++;
            }
        }

        // The seed exercises both outcomes.
        Assert.True(kept > 0 && closed > 0, $"kept {kept}, closed {closed}");

        await watcher.SendAsync(new OfferToSlave(slaveId, "watcher"));
        var last = await slave.ReceiveAsync();
        while (last is not OfferFromClient { Sdp: "watcher" })
        {
            last = await slave.ReceiveAsync();
        }
    }
}
