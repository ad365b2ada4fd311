export { MasterConnection, type MasterConnectionEvents, type MasterConnectionState, type MasterCloseInfo } from './MasterConnection.js';
export { SlaveConnection, type SlaveConnectionEvents } from './SlaveConnection.js';
export type { MasterConnectionOptions } from './options.js';
export type { DataChannelOptions } from './dataChannelOptions.js';
export { EnslavismError, EnslavismErrorReason, type EnslavismErrorOptions } from './errors.js';
export { toClientEndpointUrl, CLIENT_ENDPOINT_PATH } from './masterUrl.js';
export type { TypedEmitter, EventMap } from './emitter.js';
export * from './protocol/index.js';
