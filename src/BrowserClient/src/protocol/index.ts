export { SignalingMessageType, type SignalingMessageTypeName } from './messageType.js';
export { SignalingErrorKind, type SignalingError } from './signalingError.js';
export {
  type SignalingLimits,
  DEFAULT_MAX_FRAME_BYTES,
  FROM_MASTER_MAX_FRAME_BYTES,
  defaultSignalingLimits,
  fromMasterSignalingLimits,
} from './limits.js';
export { JsonUserData, MAX_JSON_DEPTH, MAX_USER_DATA_BYTES } from './jsonUserData.js';
export type * from './messages.js';
export { encode } from './encode.js';
export { decode, type DecodeResult } from './decode.js';
