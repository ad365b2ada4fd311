/** Options passed through to `RTCPeerConnection.createDataChannel` (see RTCDataChannelInit). */
export interface DataChannelOptions {
  /** Deliver in order (default true). Unordered is faster for game state. */
  readonly ordered?: boolean;
  /** Give up after this many retransmissions; 0 makes the channel unreliable. Excludes maxPacketLifeTime. */
  readonly maxRetransmits?: number;
  /** Give up after this many milliseconds. Excludes maxRetransmits. */
  readonly maxPacketLifeTime?: number;
  /** Subprotocol name the slave sees. */
  readonly protocol?: string;
  /** Both sides agree on `id` out of band; no open message is sent. */
  readonly negotiated?: boolean;
  /** SCTP stream id; with `negotiated: true`. */
  readonly id?: number;
}

/** Copies only the known fields, so nothing else reaches the browser (and `undefined` stays absent). */
export function toDataChannelInit(options: DataChannelOptions): RTCDataChannelInit {
  const init: RTCDataChannelInit = {};
  if (options.ordered !== undefined) init.ordered = options.ordered;
  if (options.maxRetransmits !== undefined) init.maxRetransmits = options.maxRetransmits;
  if (options.maxPacketLifeTime !== undefined) init.maxPacketLifeTime = options.maxPacketLifeTime;
  if (options.protocol !== undefined) init.protocol = options.protocol;
  if (options.negotiated !== undefined) init.negotiated = options.negotiated;
  if (options.id !== undefined) init.id = options.id;
  return init;
}
