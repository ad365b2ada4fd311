// Test doubles for node, which has neither WebSocket (node 20) nor RTCPeerConnection. They record what the library
// does and let a test play the master and the browser; the real ones are exercised in Chromium by the C# browser tests.
import { encode } from '../protocol/encode.js';
import type { SignalingMessage } from '../protocol/messages.js';
import { decode } from '../protocol/decode.js';

export class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];
  readonly url: string;
  binaryType = 'blob';
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: SignalingMessage[] = [];

  constructor(url: string) {
    super();
    this.url = url;
    FakeWebSocket.instances.push(this);
  }

  send(data: Uint8Array): void {
    const result = decode(data);
    if (!result.ok) throw new Error(`library sent a malformed frame: ${result.error.kind}`);
    this.sent.push(result.message);
  }

  close(code = 1000, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    queueMicrotask(() => this.serverClose(code, reason));
  }

  // --- the master's side ---
  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  deliver(message: SignalingMessage): void {
    this.deliverRaw(encode(message).slice().buffer);
  }

  deliverRaw(data: ArrayBuffer | string): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }

  serverClose(code = 1006, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason, wasClean: code !== 1006 }));
  }
}

export class FakeDataChannel extends EventTarget {
  readonly label: string;
  readonly init: RTCDataChannelInit;
  readyState: RTCDataChannelState = 'connecting';

  constructor(label: string, init: RTCDataChannelInit) {
    super();
    this.label = label;
    this.init = init;
  }

  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
}

export class FakePeerConnection extends EventTarget {
  static instances: FakePeerConnection[] = [];
  readonly configuration: RTCConfiguration | undefined;
  readonly channels: FakeDataChannel[] = [];
  readonly remoteCandidates: RTCIceCandidateInit[] = [];
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  remoteSdp: string | undefined;
  offers = 0;
  /** When set, setRemoteDescription rejects with it. */
  refuseAnswer: Error | undefined;

  constructor(configuration?: RTCConfiguration) {
    super();
    this.configuration = configuration;
    FakePeerConnection.instances.push(this);
  }

  createDataChannel(label: string, init: RTCDataChannelInit = {}): FakeDataChannel {
    if (this.signalingState === 'closed') throw new Error('InvalidStateError');
    if (init.maxRetransmits !== undefined && init.maxPacketLifeTime !== undefined) {
      throw new TypeError('maxRetransmits and maxPacketLifeTime are exclusive');
    }
    const channel = new FakeDataChannel(label, init);
    this.channels.push(channel);
    return channel;
  }

  async createOffer(): Promise<RTCSessionDescriptionInit> {
    this.offers++;
    return { type: 'offer', sdp: `fake-offer-${this.offers}` };
  }

  async setLocalDescription(_: RTCSessionDescriptionInit): Promise<void> {
    this.signalingState = 'have-local-offer';
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (this.refuseAnswer !== undefined) throw this.refuseAnswer;
    this.remoteSdp = description.sdp;
    this.signalingState = 'stable';
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (this.remoteSdp === undefined) throw new Error('InvalidStateError: no remote description');
    this.remoteCandidates.push(candidate);
  }

  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    for (const channel of this.channels) channel.readyState = 'closed';
  }

  // --- the browser's side ---
  emitCandidate(candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } | null): void {
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate }));
  }

  setConnectionState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

/** Installs the fakes as globals; returns an uninstall function. */
export function installFakes(): () => void {
  const g = globalThis as Record<string, unknown>;
  const saved = { WebSocket: g.WebSocket, RTCPeerConnection: g.RTCPeerConnection };
  FakeWebSocket.instances = [];
  FakePeerConnection.instances = [];
  g.WebSocket = FakeWebSocket;
  g.RTCPeerConnection = FakePeerConnection;
  return () => {
    g.WebSocket = saved.WebSocket;
    g.RTCPeerConnection = saved.RTCPeerConnection;
  };
}

/** Lets pending promise continuations (offer creation, setRemoteDescription) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
