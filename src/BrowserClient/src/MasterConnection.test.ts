import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { EnslavismError, type EnslavismErrorReason } from './errors.js';
import { MasterConnection } from './MasterConnection.js';
import { JsonUserData } from './protocol/jsonUserData.js';
import type { SlaveConnection } from './SlaveConnection.js';
import { FakePeerConnection, FakeWebSocket, installFakes, settle } from './testing/fakes.js';

let uninstall: () => void;
let reported: unknown[];
let masters: MasterConnection<{ name: string }>[];
beforeEach(() => {
  masters = [];
  uninstall = installFakes();
  reported = [];
  (globalThis as Record<string, unknown>).reportError = (e: unknown) => reported.push(e);
});
afterEach(() => {
  // Ends every session so no connect timer outlives its test.
  for (const master of masters) for (const slave of master.slaveMap.values()) slave.close();
  uninstall();
  delete (globalThis as Record<string, unknown>).reportError;
});

function openMaster(options = {}): { master: MasterConnection<{ name: string }>; ws: FakeWebSocket; errors: EnslavismError[] } {
  const master = new MasterConnection<{ name: string }>('http://127.0.0.1:9', options);
  masters.push(master);
  const errors: EnslavismError[] = [];
  master.addEventListener('error', (e) => errors.push(e));
  const ws = FakeWebSocket.instances.at(-1)!;
  ws.open();
  return { master, ws, errors };
}

function addSlave(ws: FakeWebSocket, id: number, name = `s${id}`): void {
  ws.deliver({ type: 'AddSlaves', slaves: [{ id, userData: JsonUserData.fromValue({ name }) }] });
}

async function rejectsWith(promise: Promise<unknown>, reason: EnslavismErrorReason): Promise<EnslavismError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof EnslavismError, `not an EnslavismError: ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    return e;
  }
  assert.fail(`expected a rejection with ${reason}`);
}

/** Starts a channel and plays the slave's answer; returns the channel promise and the fake peer connection. */
async function startChannel(slave: SlaveConnection<{ name: string }>, label = 'game') {
  const promise = slave.createDataChannel(label, { ordered: false, maxRetransmits: 0, protocol: 'p' });
  promise.catch(() => {}); // tests that do not await it must not leave an unhandled rejection
  await settle();
  const pc = FakePeerConnection.instances.at(-1)!;
  return { promise, pc };
}

describe('MasterConnection: slave list', () => {
  test('connects to the client endpoint with a binary socket and reports open', () => {
    const master = new MasterConnection('http://127.0.0.1:9');
    let opened = 0;
    master.addEventListener('open', () => opened++);
    const ws = FakeWebSocket.instances[0]!;
    assert.equal(ws.url, 'ws://127.0.0.1:9/enslavism/clients');
    assert.equal(ws.binaryType, 'arraybuffer');
    assert.equal(master.state, 'connecting');
    ws.open();
    assert.equal(master.state, 'open');
    assert.equal(opened, 1);
  });

  test('slaves are added and removed live, in the sparse array and the map', () => {
    const { master, ws } = openMaster();
    const added: number[] = [];
    const removed: SlaveConnection<{ name: string }>[] = [];
    master.addEventListener('slaveadded', (s) => added.push(s.id));
    master.addEventListener('slaveremoved', (s) => removed.push(s));
    ws.deliver({ type: 'AddSlaves', slaves: [
      { id: 3, userData: JsonUserData.parse(' {"name":"alpha"} ') },
      { id: 4294967295, userData: JsonUserData.fromValue({ name: 'last' }) },
    ] });
    assert.deepEqual(added, [3, 4294967295]);
    assert.equal(master.slaves[3]?.userData.name, 'alpha');
    assert.equal(master.slaves[3]?.userDataJson, ' {"name":"alpha"} ');
    assert.equal(master.slaves[4294967295]?.userData.name, 'last');
    assert.deepEqual([...master.slaveMap.keys()], [3, 4294967295]);
    ws.deliver({ type: 'RemoveSlaves', ids: [3, 77] }); // 77 was never added: ignored
    assert.equal(removed.length, 1);
    assert.equal(removed[0]?.id, 3);
    assert.equal(removed[0]?.removed, true);
    assert.equal(master.slaves[3], undefined);
    assert.equal(master.getSlave(3), undefined);
    assert.equal(master.slaveMap.size, 1);
  });

  test('a repeated id replaces the stale entry', () => {
    const { master, ws } = openMaster();
    const events: string[] = [];
    master.addEventListener('slaveadded', (s) => events.push(`+${s.userData.name}`));
    master.addEventListener('slaveremoved', (s) => events.push(`-${s.userData.name}`));
    addSlave(ws, 1, 'old');
    addSlave(ws, 1, 'new');
    assert.deepEqual(events, ['+old', '-old', '+new']);
    assert.equal(master.getSlave(1)?.userData.name, 'new');
  });

  test('malformed and unexpected frames are typed errors; the connection keeps working', () => {
    const { master, ws, errors } = openMaster();
    ws.deliverRaw(Uint8Array.of(1, 0, 0, 0, 1, 0, 100, 0x7b, 0x7d).buffer); // length past end
    ws.deliverRaw(new ArrayBuffer(0));
    ws.deliverRaw('text');
    ws.deliver({ type: 'Register', userData: JsonUserData.fromValue({}) });
    ws.deliver({ type: 'AnswerFromSlave', id: 42, sdp: 'v=0' });
    assert.deepEqual(errors.map((e) => e.reason), ['ProtocolError', 'ProtocolError', 'ProtocolError', 'ProtocolError', 'ProtocolError']);
    assert.equal(errors[0]?.signalingError?.kind, 'LengthOutOfRange');
    assert.equal(errors[1]?.signalingError?.kind, 'Empty');
    addSlave(ws, 5);
    assert.ok(master.getSlave(5));
  });

  test('frames above maxFrameBytes are refused as TooLarge', () => {
    const { ws, errors } = openMaster({ maxFrameBytes: 8 });
    addSlave(ws, 1, 'a-long-name');
    assert.equal(errors[0]?.signalingError?.kind, 'TooLarge');
  });

  test('a throwing listener does not stop the others', () => {
    const { master, ws } = openMaster();
    let second = 0;
    master.addEventListener('slaveadded', () => { throw new Error('app bug'); });
    master.addEventListener('slaveadded', () => second++);
    addSlave(ws, 1);
    assert.equal(second, 1);
    assert.equal(reported.length, 1);
  });

  test('removeEventListener stops delivery', () => {
    const { master, ws } = openMaster();
    let calls = 0;
    const listener = () => calls++;
    master.addEventListener('slaveadded', listener);
    master.removeEventListener('slaveadded', listener);
    addSlave(ws, 1);
    assert.equal(calls, 0);
  });

  test('invalid options are refused with InvalidArgument', () => {
    assert.throws(() => new MasterConnection('ws://h', { connectTimeoutMs: 0 }), (e: unknown) => e instanceof EnslavismError && e.reason === 'InvalidArgument');
    assert.throws(() => new MasterConnection('ws://h', { maxFrameBytes: 1.5 }), EnslavismError);
  });
});

describe('SlaveConnection: connecting', () => {
  test('offer, trickle ICE both ways (with end-of-candidates), answer, open', async () => {
    const { master, ws } = openMaster({ rtcConfiguration: { iceServers: [{ urls: 'stun:127.0.0.1:1' }] } });
    addSlave(ws, 7);
    const slave = master.getSlave(7)!;
    const { promise, pc } = await startChannel(slave);
    assert.deepEqual(pc.configuration, { iceServers: [{ urls: 'stun:127.0.0.1:1' }] });
    assert.deepEqual(pc.channels[0]?.init, { ordered: false, maxRetransmits: 0, protocol: 'p' });
    assert.deepEqual(ws.sent, [{ type: 'OfferToSlave', id: 7, sdp: 'fake-offer-1' }]);

    pc.emitCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    pc.emitCandidate({ candidate: 'candidate:2 1 udp 1 127.0.0.1 5001 typ host', sdpMid: null, sdpMLineIndex: null });
    pc.emitCandidate(null);
    assert.deepEqual(ws.sent.slice(1), [
      { type: 'IceCandidateToSlave', id: 7, candidate: { sdpMid: '0', sdpMLineIndex: 0, candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' } },
      { type: 'IceCandidateToSlave', id: 7, candidate: { sdpMid: '0', sdpMLineIndex: 0, candidate: 'candidate:2 1 udp 1 127.0.0.1 5001 typ host' } },
      { type: 'IceCandidateToSlave', id: 7, candidate: null },
    ]);

    // The slave's candidates may overtake its answer; they wait for it.
    ws.deliver({ type: 'IceCandidateFromSlave', id: 7, candidate: { sdpMid: '0', sdpMLineIndex: 0, candidate: 'candidate:9 1 udp 9 127.0.0.1 6000 typ host' } });
    ws.deliver({ type: 'AnswerFromSlave', id: 7, sdp: 'fake-answer' });
    ws.deliver({ type: 'IceCandidateFromSlave', id: 7, candidate: null });
    await settle();
    assert.equal(pc.remoteSdp, 'fake-answer');
    assert.deepEqual(pc.remoteCandidates, [
      { sdpMid: '0', sdpMLineIndex: 0, candidate: 'candidate:9 1 udp 9 127.0.0.1 6000 typ host' },
      { candidate: '' },
    ]);

    pc.channels[0]!.open();
    const channel = await promise;
    assert.equal(channel, pc.channels[0]);
    assert.equal(slave.dataChannels.game, channel);
    assert.equal(slave.peerConnection, pc as unknown as RTCPeerConnection);
  });

  test('local candidates gathered before the offer left are sent after it', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const promise = master.getSlave(1)!.createDataChannel('a');
    const pc = FakePeerConnection.instances[0]!;
    pc.emitCandidate({ candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 }); // before createOffer resolved
    await settle();
    assert.deepEqual(ws.sent.map((m) => m.type), ['OfferToSlave', 'IceCandidateToSlave']);
    master.getSlave(1)!.close();
    await rejectsWith(promise, 'Closed');
  });

  test('a second channel on a connected slave makes no new offer', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const slave = master.getSlave(1)!;
    const { promise, pc } = await startChannel(slave, 'first');
    ws.deliver({ type: 'AnswerFromSlave', id: 1, sdp: 'a' });
    await settle();
    pc.channels[0]!.open();
    await promise;
    const second = slave.createDataChannel('second', { ordered: true });
    await settle();
    assert.equal(FakePeerConnection.instances.length, 1);
    assert.equal(pc.offers, 1);
    assert.equal(ws.sent.filter((m) => m.type === 'OfferToSlave').length, 1);
    pc.channels[1]!.open();
    assert.equal(await second, pc.channels[1]);
    assert.deepEqual(Object.keys(slave.dataChannels), ['first', 'second']);
    pc.channels[0]!.close();
    assert.deepEqual(Object.keys(slave.dataChannels), ['second']);
  });

  test('channels created while the first offer is in flight share it', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const slave = master.getSlave(1)!;
    const a = slave.createDataChannel('a');
    const b = slave.createDataChannel('b');
    await settle();
    assert.equal(ws.sent.filter((m) => m.type === 'OfferToSlave').length, 1);
    const pc = FakePeerConnection.instances[0]!;
    ws.deliver({ type: 'AnswerFromSlave', id: 1, sdp: 'x' });
    await settle();
    pc.channels[1]!.open();
    pc.channels[0]!.open();
    assert.deepEqual([(await a).label, (await b).label], ['a', 'b']);
  });
});

describe('SlaveConnection: failures reject with a reason', () => {
  test('the slave rejects: SlaveRejected, rejected event, peer connection closed; a retry makes a fresh offer', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 2);
    const slave = master.getSlave(2)!;
    let rejected = 0;
    const disconnected: string[] = [];
    slave.addEventListener('rejected', () => rejected++);
    slave.addEventListener('disconnected', (e) => disconnected.push(e.reason));
    const { promise, pc } = await startChannel(slave);
    ws.deliver({ type: 'RejectFromSlave', id: 2 });
    const error = await rejectsWith(promise, 'SlaveRejected');
    assert.equal(error.slaveId, 2);
    assert.equal(rejected, 1);
    assert.deepEqual(disconnected, ['SlaveRejected']);
    assert.equal(pc.signalingState, 'closed');
    assert.equal(slave.peerConnection, undefined);
    const retry = slave.createDataChannel('again');
    await settle();
    assert.equal(FakePeerConnection.instances.length, 2);
    slave.close();
    await rejectsWith(retry, 'Closed');
  });

  test('a rejection with no pending offer is a protocol error, not a rejected event', () => {
    const { master, ws, errors } = openMaster();
    addSlave(ws, 2);
    let rejected = 0;
    master.getSlave(2)!.addEventListener('rejected', () => rejected++);
    ws.deliver({ type: 'RejectFromSlave', id: 2 });
    assert.equal(rejected, 0);
    assert.equal(errors[0]?.reason, 'ProtocolError');
  });

  test('the slave leaves while connecting: SlaveLeft, and later calls reject with SlaveLeft', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 3);
    const slave = master.getSlave(3)!;
    const { promise, pc } = await startChannel(slave);
    ws.deliver({ type: 'RemoveSlaves', ids: [3] });
    await rejectsWith(promise, 'SlaveLeft');
    assert.equal(pc.signalingState, 'closed');
    await rejectsWith(slave.createDataChannel('late'), 'SlaveLeft');
    assert.throws(() => slave.connect(), (e: unknown) => e instanceof EnslavismError && e.reason === 'SlaveLeft');
  });

  test('the master closes while connecting: MasterClosed; an established connection stays usable', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 4);
    addSlave(ws, 5);
    const connected = master.getSlave(4)!;
    const first = await startChannel(connected);
    ws.deliver({ type: 'AnswerFromSlave', id: 4, sdp: 'a' });
    await settle();
    first.pc.channels[0]!.open();
    await first.promise;
    const pending = await startChannel(master.getSlave(5)!);
    const closes: number[] = [];
    master.addEventListener('close', (info) => closes.push(info.code));
    ws.serverClose(1001, 'going away');
    await rejectsWith(pending.promise, 'MasterClosed');
    assert.deepEqual(closes, [1001]);
    assert.equal(master.state, 'closed');
    assert.equal(first.pc.signalingState, 'stable');
    // No signaling needed for another channel on the established connection.
    const more = connected.createDataChannel('more');
    first.pc.channels[1]!.open();
    assert.equal((await more).label, 'more');
    // A slave with no connection cannot start one any more.
    await rejectsWith(master.getSlave(5)!.createDataChannel('x'), 'MasterClosed');
  });

  test('master.close() rejects connections still signaling and stops sending', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const { promise } = await startChannel(master.getSlave(1)!);
    const sentBefore = ws.sent.length;
    master.close();
    await rejectsWith(promise, 'MasterClosed');
    assert.equal(ws.readyState, FakeWebSocket.CLOSED);
    assert.equal(ws.sent.length, sentBefore);
  });

  test('close() rejects with Closed, closes the peer connection and drops its listeners', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const slave = master.getSlave(1)!;
    const { promise, pc } = await startChannel(slave);
    slave.close();
    await rejectsWith(promise, 'Closed');
    assert.equal(pc.signalingState, 'closed');
    const sent = ws.sent.length;
    pc.emitCandidate({ candidate: 'late', sdpMid: '0', sdpMLineIndex: 0 }); // listener removed: nothing sent
    assert.equal(ws.sent.length, sent);
    assert.deepEqual(slave.dataChannels, {});
  });

  test('no open within connectTimeoutMs: Timeout, and the half-made connection is dropped', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { master, ws } = openMaster({ connectTimeoutMs: 5000 });
      addSlave(ws, 1);
      const slave = master.getSlave(1)!;
      const { promise, pc } = await startChannel(slave);
      mock.timers.tick(4999);
      await settle();
      assert.equal(pc.signalingState, 'have-local-offer');
      mock.timers.tick(1);
      await rejectsWith(promise, 'Timeout');
      assert.equal(pc.signalingState, 'closed');
      assert.equal(slave.peerConnection, undefined);
    } finally {
      mock.timers.reset();
    }
  });

  test('ICE failure: ConnectionFailed', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const { promise, pc } = await startChannel(master.getSlave(1)!);
    pc.setConnectionState('failed');
    await rejectsWith(promise, 'ConnectionFailed');
  });

  test('an answer the browser refuses: NegotiationFailed', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const { promise, pc } = await startChannel(master.getSlave(1)!);
    pc.refuseAnswer = new Error('bad sdp');
    ws.deliver({ type: 'AnswerFromSlave', id: 1, sdp: 'garbage' });
    const error = await rejectsWith(promise, 'NegotiationFailed');
    assert.equal((error.cause as Error).message, 'bad sdp');
  });

  test('options the browser refuses: InvalidArgument, without breaking the slave', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    await rejectsWith(master.getSlave(1)!.createDataChannel('x', { maxRetransmits: 0, maxPacketLifeTime: 10 }), 'InvalidArgument');
  });

  test('a data channel that closes before opening: DataChannelFailed', async () => {
    const { master, ws } = openMaster();
    addSlave(ws, 1);
    const { promise, pc } = await startChannel(master.getSlave(1)!);
    pc.channels[0]!.close();
    await rejectsWith(promise, 'DataChannelFailed');
  });

  test('remote candidates before the answer are bounded', async () => {
    const { master, ws, errors } = openMaster({ maxPendingRemoteCandidates: 2 });
    addSlave(ws, 1);
    const { pc } = await startChannel(master.getSlave(1)!);
    for (let i = 0; i < 3; i++) ws.deliver({ type: 'IceCandidateFromSlave', id: 1, candidate: { sdpMid: '0', sdpMLineIndex: 0, candidate: `c${i}` } });
    assert.deepEqual(errors.map((e) => e.reason), ['IceCandidateError']);
    ws.deliver({ type: 'AnswerFromSlave', id: 1, sdp: 'a' });
    await settle();
    assert.deepEqual(pc.remoteCandidates.map((c) => c.candidate), ['c0', 'c1']);
  });
});
