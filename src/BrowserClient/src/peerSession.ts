import { EnslavismError, EnslavismErrorReason } from './errors.js';
import type { IceCandidate } from './protocol/messages.js';
import type { SignalingPort } from './signalingPort.js';

interface PendingChannel {
  readonly channel: RTCDataChannel;
  readonly resolve: (channel: RTCDataChannel) => void;
  readonly reject: (error: EnslavismError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export interface PeerSessionHooks {
  /** A channel of this session opened (or closed after opening). */
  channelOpened(channel: RTCDataChannel): void;
  channelClosed(channel: RTCDataChannel): void;
  /** The session ended; called once, after every pending channel was rejected with `error`. */
  ended(error: EnslavismError): void;
}

/**
 * One RTCPeerConnection to one slave, from the first offer to close. The first channel starts the offer; later
 * channels are created on the same connection without a new offer: once the offer has an m=application section,
 * the SCTP association carries any number of channels (DCEP opens them in band), so no renegotiation is needed.
 */
export class PeerSession {
  readonly pc: RTCPeerConnection;
  readonly #slaveId: number;
  readonly #port: SignalingPort;
  readonly #hooks: PeerSessionHooks;
  readonly #abort = new AbortController();
  readonly #pending = new Set<PendingChannel>();
  #offerStarted = false;
  #offerSent = false;
  #remoteDescriptionSet = false;
  #established = false;
  #ended = false;
  // Local candidates produced before the offer left, and remote ones that came before the answer was applied.
  readonly #localQueue: (IceCandidate | null)[] = [];
  readonly #remoteQueue: (IceCandidate | null)[] = [];

  constructor(slaveId: number, port: SignalingPort, hooks: PeerSessionHooks) {
    this.#slaveId = slaveId;
    this.#port = port;
    this.#hooks = hooks;
    this.pc = new RTCPeerConnection(port.options.rtcConfiguration);
    const signal = this.#abort.signal;
    this.pc.addEventListener('icecandidate', (e) => this.#onLocalCandidate(e.candidate), { signal });
    this.pc.addEventListener('connectionstatechange', () => {
      if (this.pc.connectionState === 'failed') {
        this.end(this.#error(EnslavismErrorReason.ConnectionFailed, 'ICE or DTLS failed'));
      }
    }, { signal });
  }

  /** True once a data channel of this session has opened: SCTP is up and no more signaling is needed. */
  get established(): boolean {
    return this.#established;
  }

  get ended(): boolean {
    return this.#ended;
  }

  openChannel(label: string, init: RTCDataChannelInit): Promise<RTCDataChannel> {
    let channel: RTCDataChannel;
    try {
      channel = this.pc.createDataChannel(label, init);
    } catch (e) {
      return Promise.reject(this.#error(EnslavismErrorReason.InvalidArgument, `createDataChannel refused the options: ${(e as Error).message}`, e));
    }
    const promise = new Promise<RTCDataChannel>((resolve, reject) => {
      const timer = setTimeout(() => this.#onTimeout(pending), this.#port.options.connectTimeoutMs);
      const pending: PendingChannel = { channel, resolve, reject, timer };
      this.#pending.add(pending);
      const signal = this.#abort.signal;
      channel.addEventListener('open', () => {
        this.#established = true;
        this.#settle(pending);
        resolve(channel);
        this.#hooks.channelOpened(channel);
      }, { signal, once: true });
      channel.addEventListener('close', () => {
        if (this.#settle(pending)) {
          reject(this.#error(EnslavismErrorReason.DataChannelFailed, `data channel "${label}" closed before it opened`));
        } else {
          this.#hooks.channelClosed(channel);
        }
      }, { signal, once: true });
    });
    if (!this.#offerStarted) {
      this.#offerStarted = true;
      void this.#sendOffer();
    }
    return promise;
  }

  async handleAnswer(sdp: string): Promise<void> {
    if (this.#ended) return;
    if (this.pc.signalingState !== 'have-local-offer') {
      this.#port.report(this.#error(EnslavismErrorReason.ProtocolError, `unexpected answer in signaling state ${this.pc.signalingState}`));
      return;
    }
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (e) {
      this.end(this.#error(EnslavismErrorReason.NegotiationFailed, `the slave's answer was refused: ${(e as Error).message}`, e));
      return;
    }
    this.#remoteDescriptionSet = true;
    for (const candidate of this.#remoteQueue.splice(0)) await this.#addRemote(candidate);
  }

  async handleCandidate(candidate: IceCandidate | null): Promise<void> {
    if (this.#ended) return;
    if (this.#remoteDescriptionSet) {
      await this.#addRemote(candidate);
    } else if (this.#remoteQueue.length < this.#port.options.maxPendingRemoteCandidates) {
      this.#remoteQueue.push(candidate);
    } else {
      this.#port.report(this.#error(EnslavismErrorReason.IceCandidateError, 'too many ICE candidates before the answer; dropped one'));
    }
  }

  /** The master link is gone: a session that still needs signaling cannot finish. */
  masterClosed(): void {
    if (!this.#established) this.end(this.#error(EnslavismErrorReason.MasterClosed, 'the master connection closed while connecting'));
  }

  /** Rejects every pending channel with `error`, closes the peer connection and drops every listener. Idempotent. */
  end(error: EnslavismError): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const pending of [...this.#pending]) {
      this.#settle(pending);
      pending.reject(error);
    }
    this.#abort.abort();
    this.pc.close();
    this.#localQueue.length = 0;
    this.#remoteQueue.length = 0;
    this.#hooks.ended(error);
  }

  async #sendOffer(): Promise<void> {
    try {
      const offer = await this.pc.createOffer();
      if (this.#ended) return;
      await this.pc.setLocalDescription(offer);
      if (this.#ended) return;
      if (!this.#port.send({ type: 'OfferToSlave', id: this.#slaveId, sdp: offer.sdp ?? '' })) {
        this.end(this.#error(EnslavismErrorReason.MasterClosed, 'the master connection is not open'));
        return;
      }
    } catch (e) {
      this.end(this.#error(EnslavismErrorReason.NegotiationFailed, `could not create the offer: ${(e as Error).message}`, e));
      return;
    }
    this.#offerSent = true;
    for (const candidate of this.#localQueue.splice(0)) this.#sendCandidate(candidate);
  }

  #onLocalCandidate(candidate: RTCIceCandidate | null): void {
    const wire = candidate === null ? null : toWireCandidate(candidate);
    if (this.#offerSent) this.#sendCandidate(wire);
    else this.#localQueue.push(wire);
  }

  #sendCandidate(candidate: IceCandidate | null): void {
    try {
      if (!this.#port.send({ type: 'IceCandidateToSlave', id: this.#slaveId, candidate })) {
        // No master, no trickle: a session still connecting ends in masterClosed(); an established one needs none.
        return;
      }
    } catch (e) {
      // Only an sdpMid over 255 bytes can make encoding throw; the other candidates may still connect.
      this.#port.report(this.#error(EnslavismErrorReason.IceCandidateError, `local candidate not sent: ${(e as Error).message}`, e));
    }
  }

  async #addRemote(candidate: IceCandidate | null): Promise<void> {
    try {
      // An empty candidate with no sdpMid/sdpMLineIndex is the end-of-candidates indication for every m-line.
      await this.pc.addIceCandidate(candidate ?? { candidate: '' });
    } catch (e) {
      if (!this.#ended) {
        this.#port.report(this.#error(EnslavismErrorReason.IceCandidateError, `remote candidate refused: ${(e as Error).message}`, e));
      }
    }
  }

  #onTimeout(pending: PendingChannel): void {
    const error = this.#error(EnslavismErrorReason.Timeout, `data channel "${pending.channel.label}" did not open within ${this.#port.options.connectTimeoutMs} ms`);
    if (!this.#established) {
      // The connection itself did not come up; a later attempt should start from a fresh offer.
      this.end(error);
      return;
    }
    this.#settle(pending);
    pending.reject(error);
    pending.channel.close();
  }

  /** Removes a pending channel; false if it was already settled. */
  #settle(pending: PendingChannel): boolean {
    if (!this.#pending.delete(pending)) return false;
    clearTimeout(pending.timer);
    return true;
  }

  #error(reason: EnslavismErrorReason, message: string, cause?: unknown): EnslavismError {
    return new EnslavismError(reason, `Slave ${this.#slaveId}: ${message}`, cause === undefined ? { slaveId: this.#slaveId } : { slaveId: this.#slaveId, cause });
  }
}

/**
 * Browsers give every candidate an sdpMid; if one comes without (older or unusual stacks), use the m-line index as
 * text, which is the mid browsers assign by default ("0" for the single data m-line), because the wire needs 1–255 bytes.
 */
function toWireCandidate(candidate: RTCIceCandidate): IceCandidate {
  const sdpMLineIndex = candidate.sdpMLineIndex ?? 0;
  const sdpMid = candidate.sdpMid === null || candidate.sdpMid === '' ? String(sdpMLineIndex) : candidate.sdpMid;
  return { sdpMid, sdpMLineIndex, candidate: candidate.candidate };
}
