import { MAX_USER_DATA_BYTES } from './jsonUserData.js';
import type { IceCandidate, SignalingMessage, SlaveEntry } from './messages.js';
import { SignalingMessageType } from './messageType.js';
import { encodeUtf8 } from './text.js';

const MAX_U32 = 0xffffffff;

/**
 * Encodes one message as a whole WebSocket binary frame, byte-exact with Enslavism 0.9 and the C# codec.
 * Throws a RangeError only for values the wire cannot carry (ids outside u32, user data over 65535 bytes in a slave
 * entry, sdpMid of 0 or more than 255 bytes, sdpMLineIndex outside u16).
 */
export function encode(message: SignalingMessage): Uint8Array {
  const type = SignalingMessageType[message.type];
  switch (message.type) {
    case 'Register':
      return concat(type, [message.userData.toUtf8()]);
    case 'AddSlaves':
      return concat(type, message.slaves.map(encodeSlave));
    case 'RemoveSlaves':
      // JSON.stringify of a number array: no spaces, decimal integers.
      return concat(type, [encodeUtf8(`[${message.ids.map((id) => checkId(id)).join(',')}]`)]);
    case 'OfferToSlave':
    case 'OfferFromClient':
    case 'AnswerToClient':
    case 'AnswerFromSlave':
      return concat(type, [u32(message.id), encodeUtf8(message.sdp)]);
    case 'IceCandidateToSlave':
    case 'IceCandidateFromClient':
    case 'IceCandidateToClient':
    case 'IceCandidateFromSlave':
      return concat(type, [u32(message.id), ...encodeCandidate(message.candidate)]);
    case 'RejectToClient':
    case 'RejectFromSlave':
      return concat(type, [u32(message.id)]);
  }
}

function encodeSlave(slave: SlaveEntry): Uint8Array {
  const userData = slave.userData.toUtf8();
  if (userData.length > MAX_USER_DATA_BYTES) {
    throw new RangeError(`User data of slave ${slave.id} is ${userData.length} bytes; the wire allows ${MAX_USER_DATA_BYTES}.`);
  }
  const header = new Uint8Array(6);
  const view = new DataView(header.buffer);
  view.setUint32(0, checkId(slave.id));
  view.setUint16(4, userData.length);
  return joinBytes([header, userData]);
}

function encodeCandidate(candidate: IceCandidate | null): Uint8Array[] {
  if (candidate === null) return [new Uint8Array(1)];
  const mid = encodeUtf8(candidate.sdpMid);
  if (mid.length === 0 || mid.length > 255) {
    throw new RangeError(`sdpMid must be 1 to 255 UTF-8 bytes, got ${mid.length}.`);
  }
  const index = candidate.sdpMLineIndex;
  if (!Number.isInteger(index) || index < 0 || index > 0xffff) {
    throw new RangeError(`sdpMLineIndex must be an integer from 0 to 65535, got ${index}.`);
  }
  const indexBytes = new Uint8Array(2);
  new DataView(indexBytes.buffer).setUint16(0, index);
  return [Uint8Array.of(mid.length), mid, indexBytes, encodeUtf8(candidate.candidate)];
}

function checkId(id: number): number {
  if (!Number.isInteger(id) || id < 0 || id > MAX_U32) {
    throw new RangeError(`Ids are integers from 0 to ${MAX_U32}, got ${id}.`);
  }
  return id;
}

function u32(id: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, checkId(id));
  return bytes;
}

function concat(type: number, parts: Uint8Array[]): Uint8Array {
  return joinBytes([Uint8Array.of(type), ...parts]);
}

function joinBytes(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const frame = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    frame.set(part, offset);
    offset += part.length;
  }
  return frame;
}
