import type { EnslavismError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { SignalingMessage } from './protocol/messages.js';

/** What a slave connection needs from its master: a way to send frames and to report non-fatal errors. */
export interface SignalingPort {
  readonly options: ResolvedOptions;
  /** True while the WebSocket to the master is open. */
  readonly isOpen: boolean;
  /** Sends a frame; false when the master connection is not open. */
  send(message: SignalingMessage): boolean;
  /** Reports a non-fatal error on the master's `error` event. */
  report(error: EnslavismError): void;
}
