import { type DataChannelOptions, toDataChannelInit } from './dataChannelOptions.js';
import { TypedEmitter } from './emitter.js';
import { EnslavismError, EnslavismErrorReason } from './errors.js';
import { PeerSession } from './peerSession.js';
import type { JsonUserData } from './protocol/jsonUserData.js';
import type { IceCandidate } from './protocol/messages.js';
import type { SignalingPort } from './signalingPort.js';

/** Events of a {@link SlaveConnection}. */
export type SlaveConnectionEvents = {
  /** The slave rejected our offer (Enslavism 0.9 event, no arguments). Pending channels reject with `SlaveRejected`. */
  rejected: () => void;
  /** The peer connection to the slave ended; `error.reason` says why (Closed, SlaveRejected, ConnectionFailed, ...). */
  disconnected: (error: EnslavismError) => void;
};

/**
 * One slave of the master's list, and the WebRTC connection to it. Obtained from `MasterConnection.slaves` or the
 * `slaveadded` event; never constructed by applications.
 */
export class SlaveConnection<UserData = unknown> extends TypedEmitter<SlaveConnectionEvents> {
  /** The slave's id, assigned by the master. */
  readonly id: number;
  /** The user data the slave registered with, parsed. */
  readonly userData: UserData;
  /** The same user data as the exact JSON text the slave sent. */
  readonly userDataJson: string;
  /** Data channels that are open, by label (a later channel with the same label replaces the earlier one here). */
  dataChannels: Record<string, RTCDataChannel> = {};
  readonly #port: SignalingPort;
  #session: PeerSession | undefined;
  #removed = false;

  /** @internal */
  constructor(id: number, userData: JsonUserData, port: SignalingPort) {
    super();
    this.id = id;
    this.userData = userData.value as UserData;
    this.userDataJson = userData.json;
    this.#port = port;
  }

  /** True once the master removed this slave from its list. New connections are then impossible. */
  get removed(): boolean {
    return this.#removed;
  }

  /** The current RTCPeerConnection (for getStats and the like), if any. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.#session?.pc;
  }

  /**
   * Prepares the peer connection ahead of time, as in Enslavism 0.9. The offer itself leaves with the first
   * `createDataChannel`, since an offer needs a data channel to describe.
   */
  connect(): void {
    this.#ensureSession();
  }

  /**
   * Opens a data channel to the slave, connecting first if needed. Resolves when the channel is open; rejects with an
   * {@link EnslavismError} whose `reason` is SlaveRejected, SlaveLeft, MasterClosed, Closed, Timeout, ConnectionFailed,
   * NegotiationFailed, DataChannelFailed or InvalidArgument. On an established connection no new offer is made.
   */
  createDataChannel(label: string, options: DataChannelOptions = {}): Promise<RTCDataChannel> {
    let session: PeerSession;
    try {
      session = this.#ensureSession();
    } catch (e) {
      return Promise.reject(e);
    }
    return session.openChannel(String(label), toDataChannelInit(options));
  }

  /** Closes the peer connection and its data channels; pending channels reject with `Closed`. `connect()` may follow. */
  close(): void {
    this.#session?.end(new EnslavismError(EnslavismErrorReason.Closed, `Slave ${this.id}: closed by the application`, { slaveId: this.id }));
  }

  /** @internal */
  _handleAnswer(sdp: string): void {
    if (this.#session === undefined) {
      this.#port.report(new EnslavismError(EnslavismErrorReason.ProtocolError, `Slave ${this.id}: answer without an offer`, { slaveId: this.id }));
      return;
    }
    void this.#session.handleAnswer(sdp);
  }

  /** @internal */
  _handleCandidate(candidate: IceCandidate | null): void {
    // Candidates for a session we closed may still be in flight; they are harmless.
    void this.#session?.handleCandidate(candidate);
  }

  /** @internal */
  _handleRejected(): void {
    const session = this.#session;
    if (session === undefined || session.established) {
      // A rejection for an offer we never made (or of a connection that already works) is not believable.
      this.#port.report(new EnslavismError(EnslavismErrorReason.ProtocolError, `Slave ${this.id}: rejection without a pending offer`, { slaveId: this.id }));
      return;
    }
    session.end(new EnslavismError(EnslavismErrorReason.SlaveRejected, `Slave ${this.id} rejected the connection`, { slaveId: this.id }));
    this.emit('rejected');
  }

  /**
   * @internal The slave left the list. A connection still signaling cannot finish; an established one is direct and
   * is kept (it fails on its own if the slave is really gone).
   */
  _handleRemoved(): void {
    this.#removed = true;
    const session = this.#session;
    if (session !== undefined && !session.established) {
      session.end(new EnslavismError(EnslavismErrorReason.SlaveLeft, `Slave ${this.id} left the master's list`, { slaveId: this.id }));
    }
  }

  /** @internal */
  _handleMasterClosed(): void {
    this.#session?.masterClosed();
  }

  #ensureSession(): PeerSession {
    if (this.#session !== undefined) return this.#session;
    if (this.#removed) {
      throw new EnslavismError(EnslavismErrorReason.SlaveLeft, `Slave ${this.id} left the master's list`, { slaveId: this.id });
    }
    if (!this.#port.isOpen) {
      throw new EnslavismError(EnslavismErrorReason.MasterClosed, `Slave ${this.id}: the master connection is not open`, { slaveId: this.id });
    }
    const session: PeerSession = new PeerSession(this.id, this.#port, {
      channelOpened: (channel) => {
        this.dataChannels[channel.label] = channel;
      },
      channelClosed: (channel) => {
        if (this.dataChannels[channel.label] === channel) delete this.dataChannels[channel.label];
      },
      ended: (error) => {
        if (this.#session === session) {
          this.#session = undefined;
          this.dataChannels = {};
        }
        this.emit('disconnected', error);
      },
    });
    this.#session = session;
    return session;
  }
}
