import { JsonUserData } from './jsonUserData.js';
import { defaultSignalingLimits, type SignalingLimits } from './limits.js';
import type { IceCandidate, IceCandidateMessage, RejectMessage, SdpMessage, SignalingMessage, SlaveEntry } from './messages.js';
import { signalingMessageTypeNames } from './messageType.js';
import { type SignalingError, SignalingErrorKind, signalingError } from './signalingError.js';
import { tryDecodeUtf8 } from './text.js';

/** The outcome of {@link decode}: a message, or the reason the frame is malformed. */
export type DecodeResult = { readonly ok: true; readonly message: SignalingMessage } | { readonly ok: false; readonly error: SignalingError };

const ROUTED_HEADER_BYTES = 5;
const MAX_U32 = 0xffffffff;

/**
 * Decodes one frame. Never throws on bad input: a malformed frame gives `{ ok: false, error }` with the same error
 * kinds as the C# codec. `limits` defaults to the master's limits (64 KiB); a client should pass the larger
 * `fromMasterSignalingLimits`.
 */
export function decode(frame: Uint8Array | ArrayBuffer, limits: SignalingLimits = defaultSignalingLimits): DecodeResult {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length === 0) return fail(SignalingErrorKind.Empty, 'empty frame');
  if (bytes.length > limits.maxFrameBytes) {
    return fail(SignalingErrorKind.TooLarge, `frame of ${bytes.length} bytes exceeds the limit of ${limits.maxFrameBytes}`);
  }
  const typeByte = bytes[0] as number;
  const type = signalingMessageTypeNames[typeByte];
  const body = bytes.subarray(1);
  switch (type) {
    case 'Register': {
      const parsed = JsonUserData.tryFromUtf8(body);
      return parsed.ok ? ok({ type, userData: parsed.userData }) : parsed;
    }
    case 'AddSlaves':
      return decodeSlaves(body);
    case 'RemoveSlaves':
      return decodeIds(body);
    case 'OfferToSlave':
    case 'OfferFromClient':
    case 'AnswerToClient':
    case 'AnswerFromSlave':
      return decodeSdp(type, bytes);
    case 'IceCandidateToSlave':
    case 'IceCandidateFromClient':
    case 'IceCandidateToClient':
    case 'IceCandidateFromSlave':
      return decodeCandidate(type, bytes);
    case 'RejectToClient':
    case 'RejectFromSlave':
      return decodeReject(type, bytes);
    default:
      return fail(SignalingErrorKind.UnknownType, `unknown message type ${typeByte}`);
  }
}

function decodeSlaves(body: Uint8Array): DecodeResult {
  const slaves: SlaveEntry[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let offset = 0;
  while (offset < body.length) {
    const left = body.length - offset;
    if (left < 6) return fail(SignalingErrorKind.Truncated, 'slave entry shorter than its 6-byte header');
    const id = view.getUint32(offset);
    const length = view.getUint16(offset + 4);
    if (left - 6 < length) {
      return fail(SignalingErrorKind.LengthOutOfRange, `slave ${id} claims ${length} bytes of user data, ${left - 6} present`);
    }
    const parsed = JsonUserData.tryFromUtf8(body.subarray(offset + 6, offset + 6 + length));
    if (!parsed.ok) return fail(parsed.error.kind, `slave ${id}: ${parsed.error.detail}`);
    slaves.push({ id, userData: parsed.userData });
    offset += 6 + length;
  }
  return ok({ type: 'AddSlaves', slaves });
}

function decodeIds(body: Uint8Array): DecodeResult {
  const parsed = JsonUserData.tryFromUtf8(body);
  if (!parsed.ok) return parsed;
  const { value, json } = parsed.userData;
  if (!Array.isArray(value)) return fail(SignalingErrorKind.InvalidValue, 'RemoveSlaves carries a JSON array of ids');
  const idError = () => fail(SignalingErrorKind.InvalidValue, `RemoveSlaves ids are integers from 0 to ${MAX_U32}`);
  if (!value.every((v) => typeof v === 'number')) return idError();
  // The array holds numbers only, so the number tokens of the text are its elements. Reading the text rather than
  // the parsed numbers rejects 1.0 and 1e2, as the C# reader does.
  const tokens = json.match(/-?[0-9][0-9.eE+-]*/g) ?? [];
  const ids: number[] = [];
  for (const token of tokens) {
    if (!/^[0-9]+$/.test(token)) return idError();
    const id = Number(token);
    if (id > MAX_U32) return idError();
    ids.push(id);
  }
  return ok({ type: 'RemoveSlaves', ids });
}

function decodeSdp(type: SdpMessage['type'], frame: Uint8Array): DecodeResult {
  if (frame.length < ROUTED_HEADER_BYTES) return truncatedId();
  const sdp = tryDecodeUtf8(frame.subarray(ROUTED_HEADER_BYTES));
  if (sdp === undefined) return fail(SignalingErrorKind.InvalidUtf8, 'SDP is not valid UTF-8');
  return ok({ type, id: readId(frame), sdp });
}

function decodeCandidate(type: IceCandidateMessage['type'], frame: Uint8Array): DecodeResult {
  if (frame.length < ROUTED_HEADER_BYTES) return truncatedId();
  const id = readId(frame);
  const rest = frame.subarray(ROUTED_HEADER_BYTES);
  if (rest.length === 0) return fail(SignalingErrorKind.Truncated, 'ICE candidate without its sdpMid length byte');
  const midLength = rest[0] as number;
  if (midLength === 0) {
    if (rest.length > 1) return fail(SignalingErrorKind.TrailingBytes, 'bytes after an end-of-candidates marker');
    return ok({ type, id, candidate: null });
  }
  if (rest.length - 1 < midLength) {
    return fail(SignalingErrorKind.LengthOutOfRange, `sdpMid length ${midLength} with ${rest.length - 1} bytes present`);
  }
  if (rest.length - 1 - midLength < 2) return fail(SignalingErrorKind.Truncated, 'ICE candidate cut inside sdpMLineIndex');
  const sdpMid = tryDecodeUtf8(rest.subarray(1, 1 + midLength));
  if (sdpMid === undefined) return fail(SignalingErrorKind.InvalidUtf8, 'sdpMid is not valid UTF-8');
  const text = tryDecodeUtf8(rest.subarray(3 + midLength));
  if (text === undefined) return fail(SignalingErrorKind.InvalidUtf8, 'candidate is not valid UTF-8');
  const sdpMLineIndex = ((rest[1 + midLength] as number) << 8) | (rest[2 + midLength] as number);
  const candidate: IceCandidate = { sdpMid, sdpMLineIndex, candidate: text };
  return ok({ type, id, candidate });
}

function decodeReject(type: RejectMessage['type'], frame: Uint8Array): DecodeResult {
  if (frame.length < ROUTED_HEADER_BYTES) return truncatedId();
  if (frame.length > ROUTED_HEADER_BYTES) return fail(SignalingErrorKind.TrailingBytes, 'bytes after the id of a rejection');
  return ok({ type, id: readId(frame) });
}

function readId(frame: Uint8Array): number {
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(1);
}

function truncatedId(): DecodeResult {
  return fail(SignalingErrorKind.Truncated, 'frame ends inside the 4-byte id');
}

function ok(message: SignalingMessage): DecodeResult {
  return { ok: true, message };
}

function fail(kind: SignalingErrorKind, detail: string): DecodeResult {
  return { ok: false, error: signalingError(kind, detail) };
}
