import { TypedEmitter } from './emitter.js';
import { EnslavismError, EnslavismErrorReason } from './errors.js';
import { toClientEndpointUrl } from './masterUrl.js';
import { type MasterConnectionOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { decode } from './protocol/decode.js';
import { encode } from './protocol/encode.js';
import type { SignalingMessage, SlaveEntry } from './protocol/messages.js';
import type { SignalingPort } from './signalingPort.js';
import { SlaveConnection } from './SlaveConnection.js';

/** How the WebSocket to the master closed. */
export interface MasterCloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** Events of a {@link MasterConnection}. */
export type MasterConnectionEvents<UserData = unknown> = {
  /** The WebSocket to the master is open; the slave list follows. */
  open: () => void;
  /** The WebSocket closed. The slave list stays as it was; connections still signaling reject with `MasterClosed`. */
  close: (info: MasterCloseInfo) => void;
  /** Something went wrong that did not throw: a malformed frame (`ProtocolError`), a socket error, a refused candidate. */
  error: (error: EnslavismError) => void;
  /** A slave joined the list; it is already in `slaves`. */
  slaveadded: (slave: SlaveConnection<UserData>) => void;
  /** A slave left the list; it is already gone from `slaves`. */
  slaveremoved: (slave: SlaveConnection<UserData>) => void;
};

export type MasterConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The live slave list of an Enslavism master, and the signaling path to its slaves. API-compatible with Enslavism 0.9:
 * `new MasterConnection('ws://host:port')` connects to `ws://host:port/enslavism/clients`.
 */
export class MasterConnection<UserData = unknown> extends TypedEmitter<MasterConnectionEvents<UserData>> {
  /** The WebSocket URL in use. */
  readonly url: string;
  // Sparse, indexed by slave id, as Enslavism 0.9 exposed it.
  readonly #slaveArray: SlaveConnection<UserData>[] = [];
  readonly #slaveMap = new Map<number, SlaveConnection<UserData>>();
  readonly #socket: WebSocket;
  readonly #options: ResolvedOptions;
  readonly #port: SignalingPort;
  #state: MasterConnectionState = 'connecting';

  constructor(url: string | URL, options: MasterConnectionOptions = {}) {
    super();
    this.#options = resolveOptions(options);
    this.url = toClientEndpointUrl(url);
    const self = this;
    this.#port = {
      options: this.#options,
      get isOpen() {
        return self.#state === 'open';
      },
      send: (message) => this.#send(message),
      report: (error) => this.emit('error', error),
    };
    this.#socket = new WebSocket(this.url);
    this.#socket.binaryType = 'arraybuffer';
    this.#socket.addEventListener('open', () => {
      this.#state = 'open';
      this.emit('open');
    });
    this.#socket.addEventListener('message', (e: MessageEvent) => this.#onFrame(e.data));
    this.#socket.addEventListener('error', () => {
      this.emit('error', new EnslavismError(EnslavismErrorReason.WebSocketError, `WebSocket error on ${this.url}`));
    });
    this.#socket.addEventListener('close', (e: CloseEvent) => this.#onClose({ code: e.code, reason: e.reason, wasClean: e.wasClean }));
  }

  /** Slaves by id, as a sparse array (Enslavism 0.9): `slaves[id]`. Prefer {@link slaveMap} to iterate. */
  get slaves(): readonly SlaveConnection<UserData>[] {
    return this.#slaveArray;
  }

  /** Slaves by id, in the order they were added. */
  get slaveMap(): ReadonlyMap<number, SlaveConnection<UserData>> {
    return this.#slaveMap;
  }

  get state(): MasterConnectionState {
    return this.#state;
  }

  getSlave(id: number): SlaveConnection<UserData> | undefined {
    return this.#slaveMap.get(id);
  }

  /**
   * Closes the WebSocket to the master. Established slave connections are direct and stay open (close them yourself);
   * connections still signaling reject with `MasterClosed`.
   */
  close(code = 1000, reason = ''): void {
    if (this.#state === 'closed') return;
    this.#socket.close(code, reason);
    // The close event comes later; stop using the list now so nothing is sent on a closing socket.
    this.#onClose({ code, reason, wasClean: true });
  }

  #send(message: SignalingMessage): boolean {
    if (this.#state !== 'open' || this.#socket.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(encode(message));
    return true;
  }

  #onFrame(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) {
      this.#protocolError('the master sent a text frame; the protocol is binary');
      return;
    }
    const result = decode(data, { maxFrameBytes: this.#options.maxFrameBytes });
    if (!result.ok) {
      this.emit('error', new EnslavismError(EnslavismErrorReason.ProtocolError, `Malformed frame from the master: ${result.error.kind}: ${result.error.detail}`, { signalingError: result.error }));
      return;
    }
    const message = result.message;
    switch (message.type) {
      case 'AddSlaves':
        for (const entry of message.slaves) this.#addSlave(entry);
        return;
      case 'RemoveSlaves':
        for (const id of message.ids) this.#removeSlave(id);
        return;
      case 'AnswerFromSlave':
        this.#routed(message.id, message.type)?._handleAnswer(message.sdp);
        return;
      case 'IceCandidateFromSlave':
        this.#routed(message.id, message.type)?._handleCandidate(message.candidate);
        return;
      case 'RejectFromSlave':
        this.#routed(message.id, message.type)?._handleRejected();
        return;
      default:
        this.#protocolError(`the master sent ${message.type}, which is not for clients`);
    }
  }

  #addSlave(entry: SlaveEntry): void {
    if (this.#slaveMap.has(entry.id)) {
      // Ids are unique while a slave is listed; a repeated id means the old entry is stale, so replace it.
      this.#removeSlave(entry.id);
    }
    const slave = new SlaveConnection<UserData>(entry.id, entry.userData, this.#port);
    this.#slaveMap.set(entry.id, slave);
    this.#slaveArray[entry.id] = slave;
    this.emit('slaveadded', slave);
  }

  #removeSlave(id: number): void {
    const slave = this.#slaveMap.get(id);
    if (slave === undefined) return; // Unknown ids are ignored: the master may remove one we never saw added.
    this.#slaveMap.delete(id);
    delete this.#slaveArray[id];
    slave._handleRemoved();
    this.emit('slaveremoved', slave);
  }

  #routed(id: number, type: string): SlaveConnection<UserData> | undefined {
    const slave = this.#slaveMap.get(id);
    if (slave === undefined) this.#protocolError(`${type} names slave ${id}, which is not in the list`);
    return slave;
  }

  #onClose(info: MasterCloseInfo): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    for (const slave of this.#slaveMap.values()) slave._handleMasterClosed();
    this.emit('close', info);
  }

  #protocolError(message: string): void {
    this.emit('error', new EnslavismError(EnslavismErrorReason.ProtocolError, message));
  }
}
