import { EnslavismError, EnslavismErrorReason } from './errors.js';
import { FROM_MASTER_MAX_FRAME_BYTES } from './protocol/limits.js';

/** Options of a {@link MasterConnection}. All are optional. */
export interface MasterConnectionOptions {
  /**
   * Configuration of every RTCPeerConnection to a slave (iceServers, iceTransportPolicy, ...). Enslavism 0.9 used none;
   * the default is `{ iceServers: [] }`, because slaves are directly reachable and a STUN default would leak traffic.
   */
  readonly rtcConfiguration?: RTCConfiguration;
  /** How long `createDataChannel` waits for the channel to open before rejecting with `Timeout`. Default 15000 ms. */
  readonly connectTimeoutMs?: number;
  /** Frames from the master larger than this are dropped with a `ProtocolError`. Default 16 MiB (a big snapshot). */
  readonly maxFrameBytes?: number;
  /** Remote ICE candidates buffered per slave until its answer arrives; extra ones are dropped. Default 256. */
  readonly maxPendingRemoteCandidates?: number;
}

/** Options with defaults applied and values checked. */
export interface ResolvedOptions {
  readonly rtcConfiguration: RTCConfiguration;
  readonly connectTimeoutMs: number;
  readonly maxFrameBytes: number;
  readonly maxPendingRemoteCandidates: number;
}

export const defaultConnectTimeoutMs = 15_000;
export const defaultMaxPendingRemoteCandidates = 256;

export function resolveOptions(options: MasterConnectionOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    rtcConfiguration: options.rtcConfiguration ?? { iceServers: [] },
    connectTimeoutMs: options.connectTimeoutMs ?? defaultConnectTimeoutMs,
    maxFrameBytes: options.maxFrameBytes ?? FROM_MASTER_MAX_FRAME_BYTES,
    maxPendingRemoteCandidates: options.maxPendingRemoteCandidates ?? defaultMaxPendingRemoteCandidates,
  };
  // setTimeout clamps delays above 2^31-1 ms to 1 ms, which would turn a huge timeout into an instant one.
  requirePositiveInteger('connectTimeoutMs', resolved.connectTimeoutMs, 0x7fffffff);
  requirePositiveInteger('maxFrameBytes', resolved.maxFrameBytes, Number.MAX_SAFE_INTEGER);
  requirePositiveInteger('maxPendingRemoteCandidates', resolved.maxPendingRemoteCandidates, 1_000_000);
  return resolved;
}

function requirePositiveInteger(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new EnslavismError(EnslavismErrorReason.InvalidArgument, `${name} must be an integer from 1 to ${max}, got ${value}.`);
  }
}
