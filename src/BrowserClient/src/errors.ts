import type { SignalingError } from './protocol/signalingError.js';

/** Why an operation failed or a connection ended. */
export const EnslavismErrorReason = {
  /** The slave answered the offer with a rejection. */
  SlaveRejected: 'SlaveRejected',
  /** The slave left the master's list while connecting (or before the call). */
  SlaveLeft: 'SlaveLeft',
  /** The master connection closed (or was never open) while signaling was still needed. */
  MasterClosed: 'MasterClosed',
  /** `close()` was called on the slave connection. */
  Closed: 'Closed',
  /** The data channel did not open within `MasterConnectionOptions.connectTimeoutMs`. */
  Timeout: 'Timeout',
  /** ICE or DTLS failed: the peer connection reached the `failed` state. */
  ConnectionFailed: 'ConnectionFailed',
  /** The browser refused the offer or the slave's answer. */
  NegotiationFailed: 'NegotiationFailed',
  /** The data channel closed before it opened. */
  DataChannelFailed: 'DataChannelFailed',
  /** An argument was invalid (bad URL, data-channel options the browser rejects). */
  InvalidArgument: 'InvalidArgument',
  /** The master sent a frame that is malformed or makes no sense for a client; it was ignored. */
  ProtocolError: 'ProtocolError',
  /** The WebSocket to the master reported an error. */
  WebSocketError: 'WebSocketError',
  /** A remote ICE candidate was refused by the browser; connecting may still succeed with others. */
  IceCandidateError: 'IceCandidateError',
} as const;

export type EnslavismErrorReason = (typeof EnslavismErrorReason)[keyof typeof EnslavismErrorReason];

export interface EnslavismErrorOptions {
  readonly cause?: unknown;
  /** The slave concerned, when there is one. */
  readonly slaveId?: number;
  /** For `ProtocolError` from a malformed frame: what the decoder found. */
  readonly signalingError?: SignalingError;
}

/** Every error this library reports or rejects with. Switch on `reason`, not on the message text. */
export class EnslavismError extends Error {
  readonly reason: EnslavismErrorReason;
  readonly slaveId: number | undefined;
  readonly signalingError: SignalingError | undefined;

  constructor(reason: EnslavismErrorReason, message: string, options: EnslavismErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EnslavismError';
    this.reason = reason;
    this.slaveId = options.slaveId;
    this.signalingError = options.signalingError;
  }
}
